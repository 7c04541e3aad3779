namespace Superset.Migrations.Lint;

/// <summary>How bad a finding is: an error fails <c>lint</c> and <c>check</c> (exit 6) unless suppressed; a warning is said.</summary>
public enum LintSeverity
{
    Warning,
    Error,
}

/// <summary>One thing that makes a migration lock or break production, and what to do instead.</summary>
/// <param name="Id">What findings, suppressions and the README call it (squawk's names where one exists).</param>
/// <param name="AboutExistingData">Whether a table created in the same migration is exempt (it has no rows and nobody uses it yet).</param>
public sealed record LintRule(string Id, LintSeverity Severity, string Summary, string Fix, bool AboutExistingData = true)
{
    public override string ToString() => Id;
}

/// <summary>
/// Every lint rule, in one place: <c>lint</c>, <c>check</c> and autogenerate's warnings all come from these, so there is
/// one list of what is risky.
/// </summary>
public static class LintRules
{
    public static readonly LintRule RequireConcurrentIndexCreation = new(
        "require-concurrent-index-creation", LintSeverity.Warning,
        "builds an index without CONCURRENTLY, which blocks writes to the table while it builds",
        "create it CONCURRENTLY in a migration of its own with TransactionBehavior.None");

    public static readonly LintRule ConcurrentlyInTransaction = new(
        "concurrently-in-transaction", LintSeverity.Error,
        "uses CONCURRENTLY inside a transactional migration, which PostgreSQL refuses at run time",
        "give the migration TransactionBehavior.None ([Migration(version, TransactionBehavior.None, \"…\")])",
        AboutExistingData: false);

    public static readonly LintRule AddingNotNullableField = new(
        "adding-not-nullable-field", LintSeverity.Error,
        "adds a NOT NULL column without a default, which fails as soon as the table has a row",
        "give it a default, or add it nullable, fill it, then set NOT NULL");

    public static readonly LintRule SettingNotNull = new(
        "setting-not-null", LintSeverity.Warning,
        "sets NOT NULL on an existing column, which scans the whole table under an exclusive lock",
        "add CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in a later migration, then SET NOT NULL");

    public static readonly LintRule ConstraintMissingNotValid = new(
        "constraint-missing-not-valid", LintSeverity.Warning,
        "adds a foreign key or check constraint that validates every row while it locks the table",
        "add it NOT VALID, then VALIDATE CONSTRAINT in a later migration (Execute.Sql)");

    public static readonly LintRule DisallowedUniqueConstraint = new(
        "disallowed-unique-constraint", LintSeverity.Warning,
        "adds a unique constraint directly, which builds its index while it blocks writes",
        "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … UNIQUE USING INDEX");

    public static readonly LintRule ChangingColumnType = new(
        "changing-column-type", LintSeverity.Warning,
        "changes a column's type in a way that rewrites the table and its indexes under an exclusive lock",
        "add a new column, fill it in batches, switch the code to it, then drop the old one");

    public static readonly LintRule BanDropTable = new(
        "ban-drop-table", LintSeverity.Error,
        "drops a table and every row in it, which the running app may still read",
        "stop using it in the code and deploy first, back it up, then drop it deliberately with [AllowUnsafe]");

    public static readonly LintRule BanDropColumn = new(
        "ban-drop-column", LintSeverity.Error,
        "drops a column and its data, which the running app may still read",
        "stop using it in the code and deploy first, then drop it in a later migration with [AllowUnsafe]");

    public static readonly LintRule RenamingColumn = new(
        "renaming-column", LintSeverity.Warning,
        "renames a column, which breaks the app still running during a rolling deploy",
        "add the new column, write both, move reads, then drop the old one");

    public static readonly LintRule RenamingTable = new(
        "renaming-table", LintSeverity.Warning,
        "renames a table, which breaks the app still running during a rolling deploy",
        "create a view with the old name for the time of the deploy, or copy and switch in steps");

    public static readonly LintRule AddingVolatileDefault = new(
        "adding-volatile-default", LintSeverity.Warning,
        "adds a column whose default is volatile, which rewrites the whole table under an exclusive lock",
        "add it without a default (or with a constant one), then fill it in batches");

    public static readonly LintRule DownDoesNotUndoUp = new(
        "down-does-not-undo-up", LintSeverity.Error,
        "has a Down() that does not undo its Up(): up then down leaves a different schema",
        "make Down() the exact reverse of Up() (a rollback, or a branch switch, relies on it)",
        AboutExistingData: false);

    public static readonly LintRule BreakingChange = new(
        "breaking-change", LintSeverity.Warning,
        "is marked BreakingChange: the app still running on the old code may break while it runs, and upgrade refuses it unless allowed",
        "deploy code that works with both shapes first, then apply it with --allow-breaking-changes",
        AboutExistingData: false);

    public static IReadOnlyList<LintRule> All { get; } =
    [
        RequireConcurrentIndexCreation, ConcurrentlyInTransaction, AddingNotNullableField, SettingNotNull, ConstraintMissingNotValid,
        DisallowedUniqueConstraint, ChangingColumnType, BanDropTable, BanDropColumn, RenamingColumn, RenamingTable,
        AddingVolatileDefault, DownDoesNotUndoUp, BreakingChange,
    ];

    public static LintRule? Find(string id) => All.FirstOrDefault(r => r.Id == id);
}
