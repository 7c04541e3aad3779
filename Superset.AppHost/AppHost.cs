using Superset.AppHost.Postgres;

var builder = DistributedApplication.CreateBuilder(args);

// PostgreSQL: a container, the machine's own binaries, or a server the user runs (Postgres:Mode).
var postgres = builder.AddSupersetPostgres();

// The worker applies every pending migration and exits; the web app starts only if it succeeded.
var migrations = builder.AddProject<Projects.Superset_MigrationWorker>("migrations")
    .WithReference(postgres.Database)
    .WaitFor(postgres.Database);

builder.AddProject<Projects.Superset_Web>("web")
    .WithReference(postgres.Database)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();
