namespace Superset.Migrations.Engine;

/// <summary>
/// A query over everything a migration plan reads (<see cref="MigrationHistory.FingerprintSql"/>), and its answer when the
/// plan was read: the same answer later means the same plan.
/// </summary>
public sealed record HistoryFingerprint(string Sql, string Value);
