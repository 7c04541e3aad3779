namespace Superset.Migrations.Engine;

/// <summary>
/// Which version tables the plan was read from (<see cref="HistoryTables.FingerprintSql"/> is the query over everything
/// it read), and that query's answer when the plan was read: the same answer later means the same plan.
/// </summary>
public sealed record HistoryFingerprint(HistoryTables Tables, string Value);
