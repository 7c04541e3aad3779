using Superset.Migrations.Engine;

namespace Superset.Web.Migrations;

/// <summary>Everything the migrations page and <c>/api/migrations</c> show, read in one go.</summary>
internal sealed record MigrationsOverview(
    MigrationSummary? Current,
    MigrationSummary? Head,
    bool AtHead,
    IReadOnlyList<HistoryEntry> History,
    IReadOnlyList<MigrationSummary> Pending,
    IReadOnlyList<MigrationSummary> OutOfOrder,
    IReadOnlyList<MigrationSummary> Unknown)
{
    public static MigrationsOverview From(MigrationPlan plan) => new(
        plan.Current is { } current ? new MigrationSummary(current.Version, current.Description) : null,
        plan.Head is { } head ? new MigrationSummary(head.Version, head.Description) : null,
        plan.IsAtHead,
        plan.Applied.OrderByDescending(a => a.AppliedOrder).Select(HistoryEntry.From).ToArray(),
        plan.Pending.Select(MigrationSummary.From).ToArray(),
        plan.OutOfOrder.Select(MigrationSummary.From).ToArray(),
        plan.Unknown.Select(u => new MigrationSummary(u.Version, u.Description)).ToArray());
}

internal sealed record MigrationSummary(long Version, string Description)
{
    public static MigrationSummary From(KnownMigration migration) => new(migration.Version, migration.Description);
}

internal sealed record HistoryEntry(
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
