namespace Superset.Migrations.Engine;

/// <summary>A row of <c>migrations.history</c>: a migration the database says it has.</summary>
/// <param name="Checksum">SHA-256 of the SQL that ran; null for migrations whose SQL depends on the live schema.</param>
/// <param name="AppliedVia"><c>upgrade</c>, <c>merge</c> (applied out of order), <c>stamp</c> (recorded, not run) or <c>adopt</c> (taken over from another runner).</param>
/// <param name="AppliedOrder">The order in which migrations were applied; downgrade reverts in the reverse order.</param>
/// <param name="Revertible">
/// Its Down() SQL was stored when it was applied, so it can be reverted without its code (after a branch switch).
/// </param>
/// <param name="Irreversible">Why nothing can revert it (recorded when it was applied); null when it can be reverted.</param>
public sealed record AppliedMigration(
    long Version,
    string Description,
    string? Checksum,
    DateTimeOffset AppliedAt,
    int DurationMs,
    string AppliedBy,
    bool Transactional,
    string AppliedVia,
    long AppliedOrder,
    bool Revertible = false,
    string? Irreversible = null);
