using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Superset.Migrations.Telemetry;

/// <summary>
/// The one ActivitySource and Meter of the migration stack. ServiceDefaults registers <see cref="Name"/> for
/// traces and metrics, so every migration, backup and lock wait shows in the Aspire dashboard.
/// </summary>
public static class MigrationTelemetry
{
    public const string Name = "Superset.Migrations";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Migrations applied or reverted, by direction and outcome.</summary>
    public static readonly Counter<long> MigrationsApplied = Meter.CreateCounter<long>(
        "superset.migrations.applied", unit: "{migration}", description: "Migrations applied or reverted, by direction and outcome.");

    public static readonly Histogram<double> MigrationDuration = Meter.CreateHistogram<double>(
        "superset.migration.duration", unit: "s", description: "Time to apply or revert one migration, its version row included.");

    /// <summary>Pending migrations, observed when a run starts.</summary>
    public static readonly Gauge<long> PendingMigrations = Meter.CreateGauge<long>(
        "superset.migrations.pending", unit: "{migration}", description: "Pending migrations when a run started.");

    public static readonly Histogram<double> BackupDuration = Meter.CreateHistogram<double>(
        "superset.backup.duration", unit: "s", description: "Time to take and verify a backup.");

    public static readonly Histogram<long> BackupSize = Meter.CreateHistogram<long>(
        "superset.backup.size", unit: "By", description: "Size of each backup file.");

    // Attribute names: OpenTelemetry's database conventions where they fit, ours under "superset." otherwise.
    public static class Attributes
    {
        public const string DbSystem = "db.system.name";
        public const string DbNamespace = "db.namespace";
        public const string DbOperation = "db.operation.name";
        public const string ServerAddress = "server.address";
        public const string ServerPort = "server.port";
        public const string RowsAffected = "db.response.returned_rows";
        public const string ErrorType = "error.type";
        public const string Direction = "superset.migration.direction";
        public const string Outcome = "superset.migration.outcome";
        public const string Version = "superset.migration.version";
        public const string Description = "superset.migration.description";
        public const string DurationMs = "superset.migration.duration_ms";
        public const string Transactional = "superset.migration.transactional";
        public const string FromVersion = "superset.migration.from_version";
        public const string ToVersion = "superset.migration.to_version";
        public const string Count = "superset.migration.count";
        public const string LockHolderPid = "superset.lock.holder.pid";
        public const string LockAttempts = "superset.lock.attempts";
        public const string LockHolderApplication = "superset.lock.holder.application";
        public const string BackupFile = "superset.backup.file";
        public const string BackupSize = "superset.backup.size";
        public const string BackupSkipped = "superset.backup.skipped";
        public const string RevertedFrom = "superset.migration.reverted_from";
        public const string RevertedUnknown = "superset.migration.reverted_unknown";
        public const string SeedDataset = "superset.seed.dataset";
        public const string SeedApplied = "superset.seed.applied";
    }
}
