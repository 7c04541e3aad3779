using Superset.AppHost.Backup;
using Superset.AppHost.Postgres;

namespace Superset.AppHost.Migrations;

/// <summary>
/// The developer's database as commands on the migration worker's resource: restore a chosen backup, save or restore a
/// snapshot, reset the database, add seed data. Each runs the worker's command line (<see cref="WorkerCommands"/>);
/// those that replace the database ask first. Only in run mode: a deployment's dashboard has none of them.
/// </summary>
internal static class DatabaseCommandsExtensions
{
    public static IResourceBuilder<T> WithDatabaseCommands<T>(this IResourceBuilder<T> migrations, SupersetPostgres postgres, PreUpgradeBackup backups)
        where T : IResourceWithEnvironment
    {
        if (!migrations.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return migrations;
        }

        var backupArguments = MigrationCommandsExtensions.BackupArguments(backups);
        return migrations
            .WithWorkerCommand("superset-restore-backup", "Restore a backup",
                arguments => ["restore", arguments.Given("backup") ?? "", "--yes", "--backup-dir", backups.Directory], new()
                {
                    Description = "Replaces the database with a chosen backup; the database it replaces is kept aside under another name (manage_migrations.sh restore FILE).",
                    IconName = "ArrowReset",
                    ConfirmationMessage = "Replace the database with the chosen backup? The current one is kept aside, renamed.",
                    Arguments = [CommandChoices.Backup(backups.Directory)],
                })
            .WithWorkerCommand("superset-snapshot-save", "Save a snapshot",
                arguments => ["snapshot", "save", arguments.Given("name") ?? "", "--replace"], new()
                {
                    Description = "A copy of the database on the same server, put back in seconds (manage_migrations.sh snapshot save NAME).",
                    IconName = "Camera",
                    Arguments = [CommandChoices.SnapshotName()],
                })
            .WithWorkerCommand("superset-snapshot-restore", "Restore a snapshot",
                arguments => ["snapshot", "restore", arguments.Given("snapshot") ?? ""], new()
                {
                    Description = "Replaces the database with a chosen snapshot; what it replaces is kept as the snapshot before-restore (manage_migrations.sh snapshot restore NAME).",
                    IconName = "History",
                    ConfirmationMessage = "Replace the database with the chosen snapshot? What it holds now is kept as the snapshot 'before-restore'.",
                    Arguments = [CommandChoices.Snapshot(postgres)],
                })
            .WithWorkerCommand("superset-reset", "Reset the database",
                _ => ["reset", .. backupArguments], new()
                {
                    Description = "Backs up, drops the database, makes it again, migrates it to head and adds the seed data (manage_migrations.sh reset).",
                    IconName = "DeleteDismiss",
                    ConfirmationMessage = "Drop the database and make it again, migrated and seeded? Everything in it goes (a backup is taken first).",
                })
            .WithWorkerCommand("superset-seed", "Add seed data",
                arguments => ["seed", "--dataset", arguments.Given("dataset") ?? Superset.Migrations.Seeding.SeedCatalog.DefaultDataset], new()
                {
                    Description = "Adds the development seed data the database has not had (manage_migrations.sh seed [--dataset NAME]).",
                    IconName = "Sparkle",
                    Arguments = [CommandChoices.Dataset()],
                });
    }
}
