using Superset.AppHost.Postgres;
using Superset.AppHost.Workers;
using Superset.Migrations.Settings;

namespace Superset.AppHost.Backup;

/// <summary>The backup step and what it hands the migration worker: where backups go, and the file that names the one it took.</summary>
internal sealed record PreUpgradeBackup(IResourceBuilder<IResource>? Step, BackupSettings Settings, string Directory, string Handover);

internal static class PreUpgradeBackupExtensions
{
    /// <summary>
    /// Adds the backup step, its own resource in the dashboard, which runs once PostgreSQL is healthy and which the
    /// migration worker waits for: no upgrade runs without a verified backup. With local or external PostgreSQL it is
    /// the worker's backup task, with pg_dump from the same binaries as the server; with the container (and when
    /// publishing) it is a sidecar from the server's own image. No step when <c>Backup:Enabled</c> is false.
    /// </summary>
    public static PreUpgradeBackup AddPreUpgradeBackup(this IDistributedApplicationBuilder builder, SupersetPostgres postgres)
    {
        var settings = builder.ReadSettings<BackupSettings>(BackupSettings.Section);
        // backups/ at the root of the checkout by default: beside the code, and git-ignored. A test's AppHost keeps its
        // backups apart from the developer's, unless the test names a folder.
        var directory = settings.Directory is null && postgres.Isolated is { } isolated
            ? isolated.BackupDirectory
            : settings.Location(Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."))).Directory;
        // One file per AppHost, not per process: a test process runs several AppHosts at once, and each one's gate clears
        // its own at start (a file per process let one stack's worker name "none" for the backup another stack cleared).
        var handover = Path.Combine(Path.GetTempPath(), $"superset-backup-handover-{Environment.ProcessId}-{Guid.NewGuid():N}");
        if (!settings.Enabled)
        {
            return new PreUpgradeBackup(null, settings, directory, handover);
        }

        var step = postgres.Mode == PostgresMode.Container
            ? AddSidecar(builder, postgres, directory, settings.Keep)
            : builder.AddMigrationWorkerRun("backup", new BackupTaskSetup(postgres, directory, settings.Keep, handover));
        return new PreUpgradeBackup(step, settings, directory, handover);
    }

    /// <summary>The worker's backup task, with pg_dump from the same binaries as the server.</summary>
    private sealed class BackupTaskSetup(SupersetPostgres postgres, string directory, int keep, string handover) : IWorkerRunSetup
    {
        public void Configure<T>(IResourceBuilder<T> worker) where T : class, IResourceWithEnvironment, IResourceWithWaitSupport
        {
            worker.WithSetting(WorkerSettings.Keys.Task, nameof(WorkerTask.Backup))
                .WithSetting(WorkerSettings.Keys.BackupHandover, handover)
                .WithSetting(BackupSettings.Keys.Directory, directory)
                .WithSetting(BackupSettings.Keys.Keep, keep.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithReference(postgres.Database)
                .WaitForDatabase(postgres)
                .WithIconName("DatabaseArrowDown");
            if (postgres.Binaries is { } binaries)
            {
                worker.WithSetting(BackupSettings.Keys.BinDirectory, binaries.BinDirectory);
            }
        }
    }

    /// <summary>pg_dump in the server's image: the same major version as the server, whatever the host has.</summary>
    private static IResourceBuilder<IResource> AddSidecar(IDistributedApplicationBuilder builder, SupersetPostgres postgres, string directory, int keep)
    {
        var database = (PostgresDatabaseResource)postgres.Database.Resource;
        var sidecar = builder.AddContainer("backup", SupersetPostgresExtensions.ContainerImage, SupersetPostgresExtensions.ContainerImageTag)
            .WithImageRegistry(SupersetPostgresExtensions.ContainerRegistry)
            .WithEnvironment("DATABASE_URI", database.UriExpression)
            .WithEnvironment("BACKUP_KEEP", keep.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEntrypoint("/bin/sh")
            .WithArgs("-c", PgDumpSidecarScript.Script)
            .WaitForDatabase(postgres)
            .WithIconName("DatabaseArrowDown");

        // A deployment has no folder of the developer's: the backups go to a volume there.
        if (builder.ExecutionContext.IsPublishMode)
        {
            sidecar.WithVolume("superset-backups", "/backups");
        }
        else
        {
            Directory.CreateDirectory(directory);
            sidecar.WithBindMount(directory, "/backups");
        }

        return sidecar;
    }
}
