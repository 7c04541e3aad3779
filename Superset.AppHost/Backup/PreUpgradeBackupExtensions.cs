using Superset.AppHost.Postgres;
using Superset.AppHost.Workers;
using Superset.Migrations.LocalServer;

namespace Superset.AppHost.Backup;

internal static class PreUpgradeBackupExtensions
{
    /// <summary>
    /// Adds the backup step, its own resource in the dashboard, which runs once PostgreSQL is healthy and which the
    /// migration worker waits for: no upgrade runs without a verified backup. With local or external PostgreSQL it is
    /// the worker's backup task, with pg_dump from the same binaries as the server; with the container (and when
    /// publishing) it is a sidecar from the server's own image. Null when <c>Backup:Enabled</c> is false.
    /// </summary>
    public static IResourceBuilder<IResource>? AddPreUpgradeBackup(this IDistributedApplicationBuilder builder, SupersetPostgres postgres)
    {
        var configuration = BackupConfiguration.For(builder);
        if (!configuration.Enabled)
        {
            return null;
        }

        var directory = configuration.Directory;
        var keep = configuration.Keep.ToString(System.Globalization.CultureInfo.InvariantCulture);

        if (postgres.Mode == PostgresMode.Container)
        {
            return AddSidecar(builder, postgres, directory, keep);
        }

        var binaries = postgres.LocalCluster?.Binaries ?? PostgresBinaries.Find(builder.Configuration["Postgres:BinDirectory"], requireServer: false);
        return builder.AddMigrationWorkerRun("backup", new BackupTaskConfiguration(postgres, directory, keep, binaries));
    }

    /// <summary>The worker's backup task, with pg_dump from the same binaries as the server.</summary>
    private sealed class BackupTaskConfiguration(SupersetPostgres postgres, string directory, string keep, PostgresBinaries? binaries) : IWorkerConfiguration
    {
        public IResourceBuilder<IResource> Apply<T>(IResourceBuilder<T> worker) where T : IResourceWithEnvironment, IResourceWithWaitSupport
        {
            worker.WithEnvironment("Worker__Task", "backup")
                .WithEnvironment("Backup__Directory", directory)
                .WithEnvironment("Backup__Keep", keep)
                .WithReference(postgres.Database)
                .WaitForDatabase(postgres)
                .WithIconName("DatabaseArrowDown");
            if (binaries is not null)
            {
                worker.WithEnvironment("Backup__BinDirectory", binaries.BinDirectory);
            }

            return (IResourceBuilder<IResource>)worker;
        }
    }

    /// <summary>pg_dump in the server's image: the same major version as the server, whatever the host has.</summary>
    private static IResourceBuilder<IResource> AddSidecar(IDistributedApplicationBuilder builder, SupersetPostgres postgres, string directory, string keep)
    {
        var database = (PostgresDatabaseResource)postgres.Database.Resource;
        var sidecar = builder.AddContainer("backup", SupersetPostgresExtensions.ContainerImage, SupersetPostgresExtensions.ContainerImageTag)
            .WithImageRegistry(SupersetPostgresExtensions.ContainerRegistry)
            .WithEnvironment("DATABASE_URI", database.UriExpression)
            .WithEnvironment("BACKUP_KEEP", keep)
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
