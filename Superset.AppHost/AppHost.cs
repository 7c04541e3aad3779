using Superset.AppHost.Backup;
using Superset.AppHost.Migrations;
using Superset.AppHost.Postgres;

var builder = DistributedApplication.CreateBuilder(args);

// PostgreSQL: a container, the machine's own binaries, or a server the user runs (Postgres:Mode).
var postgres = builder.AddSupersetPostgres();

// A verified pg_dump backup when migrations are pending: no upgrade runs without one.
var backup = builder.AddPreUpgradeBackup(postgres);

// The worker applies every pending migration and exits; the web app starts only if it succeeded.
var migrations = builder.AddMigrationWorker(postgres, backup);

builder.AddProject<Projects.Superset_Web>("web")
    .WithReference(postgres.Database)
    .WaitForMigrations(postgres, migrations)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();
