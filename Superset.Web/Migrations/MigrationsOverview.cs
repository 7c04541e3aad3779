using Superset.Migrations.Backup;
using Superset.Migrations.Engine;

namespace Superset.Web.Migrations;

/// <summary>
/// Everything the migrations page and <c>/api/migrations</c> show, read in one go: the plan as <c>status --json</c>
/// shows it (<see cref="PlanSummary"/>), with the history, the backups and the dashboard's links.
/// </summary>
public sealed record MigrationsOverview : PlanSummary
{
    public required IReadOnlyList<HistoryEntry> History { get; init; }

    public required IReadOnlyList<BackupSummary> Backups { get; init; }

    public DashboardLinks? Dashboard { get; init; }

    public DateTimeOffset CheckedAt { get; init; }

    public static MigrationsOverview From(
        string database, MigrationPlan plan, IReadOnlyList<BackupFile> backups, DashboardLinks? dashboard, DateTimeOffset checkedAt) =>
        new(PlanSummary.From(database, plan))
        {
            History = plan.Applied.OrderByDescending(a => a.AppliedOrder).Select(HistoryEntry.From).ToArray(),
            Backups = backups.Select(BackupSummary.From).ToArray(),
            Dashboard = dashboard,
            CheckedAt = checkedAt,
        };

    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    private MigrationsOverview(PlanSummary plan)
        : base(plan)
    {
        History = [];
        Backups = [];
    }
}

public sealed record HistoryEntry(
    long Version,
    string Description,
    DateTimeOffset AppliedAt,
    int DurationMs,
    string AppliedBy,
    string AppliedVia,
    bool Transactional,
    string? Irreversible)
{
    public static HistoryEntry From(AppliedMigration applied) => new(
        applied.Version, applied.Description, applied.AppliedAt, applied.DurationMs, applied.AppliedBy, applied.AppliedVia, applied.Transactional, applied.Irreversible);
}

public sealed record BackupSummary(string File, DateTimeOffset TakenAt, long? Version, long Size)
{
    public static BackupSummary From(BackupFile backup) =>
        new(backup.Name, new DateTimeOffset(DateTime.SpecifyKind(backup.TakenAt, DateTimeKind.Utc)), backup.Version, backup.Size);
}

/// <summary>Where the Aspire dashboard shows the migration worker's traces and logs; only under the AppHost.</summary>
public sealed record DashboardLinks(string Traces, string Logs);
