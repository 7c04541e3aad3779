using System.CommandLine;
using Superset.Migrations.Backup;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>backup</c>: takes a verified pg_dump backup now.</summary>
internal sealed class BackupCommand(CliOptions options) : ICliCommand
{
    public Command Command { get; } = new("backup", "Take a backup now (pg_dump, custom format, checked with pg_restore --list).")
    {
        options.BackupDirectory, options.Keep,
    };

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenAsync(cancellationToken);
        var plan = await context.Migrations.Engine.PlanAsync(connection, cancellationToken);
        var database = (await context.Database.ResolveAsync(cancellationToken)).ConnectionString;
        var backup = await context.Backups.Store.TakeAsync(database, plan.Current?.Version, cancellationToken);

        context.Output.Report(BackupsCommand.Entry(backup), static json => json.BackupEntry,
            () => context.Output.Line($"💾 Backup: {backup.Path} ({Format.Size(backup.Size)}, verified, schema version {backup.Version?.ToString() ?? "none"})"));
        return ExitCodes.Success;
    }
}
