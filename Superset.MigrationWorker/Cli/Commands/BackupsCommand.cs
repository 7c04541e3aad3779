using System.CommandLine;
using Superset.Migrations.Backup;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>backups</c>: the backups in the backups folder, newest first, with time, version and size.</summary>
internal sealed class BackupsCommand(CliOptions options) : ICliCommand
{
    public Command Command { get; } = new("backups", "List the backups, newest first: time, schema version, size.")
    {
        options.BackupDirectory,
    };

    public static BackupEntry Entry(BackupFile backup) => new(backup.Path, backup.Database, backup.TakenAt, backup.Version, backup.Size);

    public Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var directory = context.Backups.Store.Settings.Directory;
        var backups = BackupFile.List(directory);
        context.Output.Report(new BackupsResult(directory, backups.Select(Entry).ToArray()), static json => json.BackupsResult, () =>
        {
            context.Output.Line($"💾 Backups in {directory} ({backups.Count})");
            foreach (var backup in backups)
            {
                context.Output.Line($"   {backup.TakenAt:yyyy-MM-dd HH:mm:ss} UTC  v{backup.Version?.ToString() ?? "none",-15} {Format.Size(backup.Size),10}  {backup.Name}");
            }
        });
        return Task.FromResult(ExitCodes.Success);
    }
}
