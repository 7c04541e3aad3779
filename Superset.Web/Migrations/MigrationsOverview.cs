using Superset.Migrations.Backup;
using Superset.Migrations.Engine;

namespace Superset.Web.Migrations;

/// <summary>Everything the migrations page and <c>/api/migrations</c> show, read in one go.</summary>
public sealed record MigrationsOverview(
    string Database,
    MigrationSummary? Current,
    MigrationSummary? Head,
    bool AtHead,
    IReadOnlyList<HistoryEntry> History,
    IReadOnlyList<MigrationSummary> Pending,
    IReadOnlyList<MigrationSummary> OutOfOrder,
    IReadOnlyList<MigrationSummary> Unknown,
    IReadOnlyList<BackupSummary> Backups,
    DashboardLinks? Dashboard,
    DateTimeOffset CheckedAt)
{
    public static MigrationsOverview From(
        string database, MigrationPlan plan, IReadOnlyList<BackupFile> backups, DashboardLinks? dashboard, DateTimeOffset checkedAt) => new(
        database,
        plan.Current is { } current ? new MigrationSummary(current.Version, current.Description) : null,
        plan.Head is { } head ? new MigrationSummary(head.Version, head.Description) : null,
        plan.IsAtHead,
        plan.Applied.OrderByDescending(a => a.AppliedOrder).Select(HistoryEntry.From).ToArray(),
        plan.Pending.Select(MigrationSummary.From).ToArray(),
        plan.OutOfOrder.Select(MigrationSummary.From).ToArray(),
        plan.Unknown.Select(u => new MigrationSummary(u.Version, u.Description)).ToArray(),
        backups.Select(BackupSummary.From).ToArray(),
        dashboard,
        checkedAt);
}

public sealed record MigrationSummary(long Version, string Description)
{
    public static MigrationSummary From(KnownMigration migration) => new(migration.Version, migration.Description);
}

public sealed record HistoryEntry(
    long Version,
    string Description,
    DateTimeOffset AppliedAt,
    int DurationMs,
    string AppliedBy,
    string AppliedVia,
    bool Transactional)
{
    public static HistoryEntry From(AppliedMigration applied) => new(
        applied.Version, applied.Description, applied.AppliedAt, applied.DurationMs, applied.AppliedBy, applied.AppliedVia, applied.Transactional);
}

public sealed record BackupSummary(string File, DateTimeOffset TakenAt, long? Version, long Size)
{
    public static BackupSummary From(BackupFile backup) =>
        new(backup.Name, new DateTimeOffset(DateTime.SpecifyKind(backup.TakenAt, DateTimeKind.Utc)), backup.Version, backup.Size);
}

/// <summary>Where the Aspire dashboard shows the migration worker's traces and logs; only under the AppHost.</summary>
public sealed record DashboardLinks(string Traces, string Logs);
