using Superset.AppHost;
using Superset.AppHost.Backup;
using Superset.AppHost.Migrations;
using Superset.AppHost.Postgres;
using Superset.AppHost.Telemetry;
using Superset.AppHost.Web;

// A setting that cannot work (no engine for container mode, a port taken, no binaries) is one line and exit 1, not a crash.
AppDomain.CurrentDomain.UnhandledException += SetupFailure.ExitWithOneLine;

// A second checkout's F5 (a git worktree) while the first runs: ports another stack holds are replaced by this checkout's own.
var builder = DistributedApplication.CreateBuilder(CheckoutPorts.AvoidTakenPorts(args))
    .ExportTelemetryOnlyToTheDashboard();

// PostgreSQL: a container, the machine's own binaries, or a server the user runs (Postgres:Mode).
var postgres = builder.AddSupersetPostgres();

// A verified pg_dump backup when migrations are pending: no upgrade runs without one.
var backup = builder.AddPreUpgradeBackup(postgres);

// The worker applies every pending migration and exits; the web app starts only if it succeeded. With nothing
// pending, neither step starts a process: both finish at once and say why. Its dashboard resource offers the
// command line's upgrade, roll back, backup and status as commands.
var migrations = builder.AddMigrationWorker(postgres, backup);

builder.AddProject<Projects.Superset_Web>("web")
    .WithReference(postgres.Database)
    .WaitForMigrations(postgres, migrations)
    .WithMigrationsPageLinks(backup)
    .WithCheckoutHttpPort()
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();
