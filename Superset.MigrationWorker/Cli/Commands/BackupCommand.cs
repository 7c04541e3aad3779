using System.CommandLine;
using Superset.Migrations.Backup;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>backup</c>: takes a verified pg_dump backup now.</summary>
internal sealed class BackupCommand : ICliCommand
{
    public Command Command { get; } = new("backup", "Take a backup now (pg_dump, custom format, checked with pg_restore --list).")
    {
        CliOptions.BackupDirectory, CliOptions.Keep,
    };

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.OpenAsync(cancellationToken);
        var plan = await context.Engine.PlanAsync(connection, cancellationToken);
        var database = (await context.ResolveConnectionAsync(cancellationToken)).ConnectionString;
        var backup = await context.Backups.TakeAsync(database, plan.Current?.Version, cancellationToken);

        context.Report(BackupsCommand.Entry(backup), CliJson.Default.BackupEntry,
            () => context.Line($"💾 Backup: {backup.Path} ({Format.Size(backup.Size)}, verified, schema version {backup.Version?.ToString() ?? "none"})"));
        return ExitCodes.Success;
    }
}
