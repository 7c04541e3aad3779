namespace Superset.Migrations.Lint;

/// <summary>
/// What one statement of a migration was seen to do on the throwaway database lint replays it on, to tables that
/// existed before the migration: the tables it rewrote (their file changed: <c>pg_class.relfilenode</c>) and the
/// strongest lock it took on each (its own session's <c>pg_locks</c>), and the indexes it rebuilt on a table it did not
/// rewrite (a type change such as text to citext: no rewrite, but every index of the column built again).
/// </summary>
public sealed record StatementEffects(IReadOnlySet<string> Rewritten, IReadOnlyDictionary<string, string> Locks)
{
    public static StatementEffects None { get; } = new(new HashSet<string>(), new Dictionary<string, string>());

    /// <summary>Index name → its table, for the indexes built again without their table being rewritten.</summary>
    public IReadOnlyDictionary<string, string> RebuiltIndexes { get; init; } = new Dictionary<string, string>();

    /// <summary>"it takes ACCESS EXCLUSIVE on accounts and rewrites it", or null when nothing was seen on the table.</summary>
    public string? Describe(string table) =>
        Locks.TryGetValue(table, out var mode)
            ? $"it takes {mode} on {table}{(Rewritten.Contains(table) ? " and rewrites it" : "")}"
            : Rewritten.Contains(table) ? $"it rewrites {table}" : null;
}
