using System.CommandLine;
using Superset.Migrations.Backup;
using Superset.Migrations.Engine;
using Superset.Migrations.Settings;

namespace Superset.MigrationWorker.Cli;

/// <summary>
/// A command's backups: where they go (<c>--backup-dir</c>, <c>SUPERSET_BACKUP_DIR</c>, <c>Backup:Directory</c>, else
/// <c>backups/</c> in the checkout), how many are kept, and the backup a run takes before it changes anything.
/// </summary>
internal sealed class CliBackups(ParseResult parseResult, CliOptions options, CliEnvironment environment, CliDatabase database, CliOutput output)
{
    private PgDumpBackup? _store;

    public PgDumpBackup Store => _store ??= new PgDumpBackup(Location());

    /// <summary>
    /// The backup a run takes before it changes anything (under the migration lock), unless <c>--no-backup</c>: nothing
    /// migrates without a backup unless the user said so. Not of a database that holds nothing yet.
    /// </summary>
    public BeforeApplying? BeforeApplying(Action<BackupFile> taken)
    {
        if (parseResult.GetValue(options.NoBackup))
        {
            output.Warn("⚠️  --no-backup: no backup is taken before these changes.");
            return null;
        }

        return async (connection, plan, _, cancellationToken) =>
        {
            if (await DatabaseContents.IsEmptyAsync(connection, cancellationToken))
            {
                output.Line($"💾 No backup: {DatabaseContents.NothingToBackUp}");
                return;
            }

            var backup = await Store.TakeAsync((await database.ResolveAsync(cancellationToken)).ConnectionString, plan.Current?.Version, cancellationToken);
            taken(backup);
            output.Line($"💾 Backup: {backup.Path} ({Format.Size(backup.Size)}, verified)");
        };
    }

    private BackupLocation Location()
    {
        var configured = SettingsReader.Read<BackupSettings>(environment.Configuration, BackupSettings.Section);
        var directory = parseResult.GetValue(options.BackupDirectory) is { } given ? Path.GetFullPath(given, environment.CurrentDirectory)
            : environment.GetVariable(BackupSettings.DirectoryVariable) is { Length: > 0 } variable ? Path.GetFullPath(variable, environment.CurrentDirectory)
            : null;
        var location = configured.Location(environment.CheckoutSearchStart);
        return location with
        {
            Directory = directory ?? location.Directory,
            Keep = parseResult.GetValue(options.Keep) ?? location.Keep,
        };
    }
}
