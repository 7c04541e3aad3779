using Superset.AppHost.Backup;
using Superset.AppHost.Postgres;
using Superset.Migrations.Outcomes;

namespace Superset.AppHost.Migrations;

/// <summary>
/// The seed's everyday operations as commands on the migration worker's resource in the dashboard: run pending
/// migrations (all, or up to a chosen version), roll back (the last one, or back to a chosen version), revert another
/// branch's, take a backup, show status. Each runs the worker's command line (<see cref="WorkerCommands"/>).
/// </summary>
internal static class MigrationCommandsExtensions
{
    public static IResourceBuilder<T> WithMigrationCommands<T>(this IResourceBuilder<T> migrations, SupersetPostgres postgres, PreUpgradeBackup backups)
        where T : IResourceWithEnvironment
    {
        var backupArguments = BackupArguments(backups);
        return migrations
            .WithWorkerCommand("superset-upgrade", "Run pending migrations",
                arguments => ["upgrade", .. Target(arguments), .. backupArguments], new()
                {
                    Description = "Backs up, then applies the pending migrations, all or up to a chosen version (manage_migrations.sh upgrade [--target VERSION]).",
                    IconName = "ArrowUpload",
                    IsHighlighted = true,
                    Arguments = [CommandChoices.PendingVersion(postgres)],
                })
            .WithWorkerCommand("superset-downgrade", "Roll back migrations",
                arguments => ["downgrade", .. Target(arguments), .. backupArguments], new()
                {
                    Description = "Backs up, then reverts the last applied migration, or every one above a chosen version (manage_migrations.sh downgrade [--target VERSION]).",
                    IconName = "ArrowUndo",
                    ConfirmationMessage = "Roll back? Data in the tables and columns the reverted migrations created is lost (a backup is taken first).",
                    Arguments = [CommandChoices.AppliedVersion(postgres)],
                })
            .WithWorkerCommand("superset-revert-unknown", "Revert migrations from another branch", _ => ["downgrade", "--unknown", .. backupArguments], new()
            {
                Description = "Backs up, then reverts the applied migrations this build does not know, from the Down() SQL stored when they ran (manage_migrations.sh downgrade --unknown).",
                IconName = "BranchFork",
                ConfirmationMessage = "Revert the migrations applied from another branch? The tables and columns they created are dropped (a backup is taken first).",
            })
            .WithWorkerCommand("superset-backup", "Take a backup", _ => ["backup", "--backup-dir", backups.Directory], new()
            {
                Description = "A verified pg_dump of the database into the backups folder (manage_migrations.sh backup).",
                IconName = "DatabaseArrowDown",
            })
            .WithWorkerCommand("superset-status", "Show migration status", _ => ["status"], new()
            {
                Description = "Current version, pending and unknown migrations (manage_migrations.sh status).",
                IconName = "Info",
            },
            // "Behind" (3) is an answer, not a failure.
            ExitCodes.Success, ExitCodes.Behind);
    }

    /// <summary>With backups switched off in the AppHost, the commands say so to the command line rather than fail.</summary>
    public static string[] BackupArguments(PreUpgradeBackup backups) =>
        backups.Settings.Enabled ? ["--backup-dir", backups.Directory] : ["--no-backup"];

    private static string[] Target(InteractionInputCollection arguments) =>
        arguments.Given("target") is { } target ? ["--target", target] : [];
}
