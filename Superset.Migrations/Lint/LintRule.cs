namespace Superset.Migrations.Lint;

/// <summary>How bad a finding is: an error fails <c>lint</c> and <c>check</c> (exit 6) unless suppressed; a warning is said.</summary>
public enum LintSeverity
{
    Warning,
    Error,
}

/// <summary>One thing that makes a migration lock or break production, and what to do instead.</summary>
/// <param name="Id">What findings, suppressions, settings and the README call it: squawk's id where squawk has the rule.</param>
/// <param name="Peer">Where a peer has the same rule: <c>squawk</c>, <c>strong_migrations</c>, or both; null for ours alone.</param>
/// <param name="AboutExistingData">Whether a table created in the same migration is exempt (it has no rows and nobody uses it yet).</param>
/// <param name="FormerIds">The ids it had before it took the peer's: suppressions and settings that name them still count.</param>
public sealed record LintRule(string Id, LintSeverity Severity, string Summary, string Fix, string? Peer = null, bool AboutExistingData = true, string[]? FormerIds = null)
{
    public bool IsCalled(string id) => Id == id || (FormerIds?.Contains(id) ?? false);

    public override string ToString() => Id;
}

/// <summary>
/// Every lint rule, in one place: <c>lint</c>, <c>check</c> and autogenerate's warnings all come from these, so there is
/// one list of what is risky. Every rule about a strong lock, a rewrite, a scan under a lock or a change that breaks the
/// running app is an error: CI stops it unless the migration says why it is safe (<see cref="AllowUnsafeAttribute"/>) or
/// the team lowers it (<c>Lint:Rules:&lt;id&gt;</c>).
/// </summary>
public static class LintRules
{
    public static readonly LintRule RequireConcurrentIndexCreation = new(
        "require-concurrent-index-creation", LintSeverity.Error,
        "builds an index without CONCURRENTLY, which blocks writes to the table while it builds",
        "create it CONCURRENTLY in a migration of its own with TransactionBehavior.None", "squawk, strong_migrations");

    public static readonly LintRule RequireConcurrentIndexDeletion = new(
        "require-concurrent-index-deletion", LintSeverity.Error,
        "drops an index without CONCURRENTLY, which takes an exclusive lock on its table",
        "DROP INDEX CONCURRENTLY in a migration of its own with TransactionBehavior.None", "squawk, strong_migrations");

    public static readonly LintRule RequireConcurrentReindex = new(
        "require-concurrent-reindex", LintSeverity.Error,
        "rebuilds an index without CONCURRENTLY, which blocks writes (and reads through the index) while it builds",
        "REINDEX … CONCURRENTLY in a migration of its own with TransactionBehavior.None", "squawk");

    public static readonly LintRule RequireConcurrentPartitionDetach = new(
        "require-concurrent-partition-detach", LintSeverity.Error,
        "detaches a partition without CONCURRENTLY, which locks the parent table",
        "DETACH PARTITION … CONCURRENTLY in a migration of its own with TransactionBehavior.None", "squawk");

    public static readonly LintRule BanConcurrentIndexCreationInTransaction = new(
        "ban-concurrent-index-creation-in-transaction", LintSeverity.Error,
        "uses CONCURRENTLY inside a transactional migration, which PostgreSQL refuses at run time",
        "give the migration TransactionBehavior.None ([Migration(version, TransactionBehavior.None, \"…\")])",
        "squawk", AboutExistingData: false, FormerIds: ["concurrently-in-transaction"]);

    public static readonly LintRule AddingRequiredField = new(
        "adding-required-field", LintSeverity.Error,
        "adds a NOT NULL column without a default, which fails as soon as the table has a row",
        "give it a default, or add it nullable, fill it, then set NOT NULL", "squawk");

    public static readonly LintRule AddingNotNullableField = new(
        "adding-not-nullable-field", LintSeverity.Error,
        "sets NOT NULL on an existing column, which scans the whole table under an exclusive lock",
        "add CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in a later migration, then SET NOT NULL",
        "squawk, strong_migrations", FormerIds: ["setting-not-null"]);

    public static readonly LintRule ConstraintMissingNotValid = new(
        "constraint-missing-not-valid", LintSeverity.Error,
        "adds a foreign key or check constraint that validates every row while it locks the table (NOT VALID then VALIDATE in one transaction does the same)",
        "add it NOT VALID, then VALIDATE CONSTRAINT in a later migration (Execute.Sql)", "squawk, strong_migrations");

    public static readonly LintRule AddingForeignKeyConstraint = new(
        "adding-foreign-key-constraint", LintSeverity.Error,
        "adds a column with REFERENCES, which validates it and locks both tables against writes",
        "add the column, then the foreign key NOT VALID, then VALIDATE CONSTRAINT in a later migration", "squawk, strong_migrations");

    public static readonly LintRule DisallowedUniqueConstraint = new(
        "disallowed-unique-constraint", LintSeverity.Error,
        "adds a unique constraint directly, which builds its index while it blocks writes",
        "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … UNIQUE USING INDEX", "squawk, strong_migrations");

    public static readonly LintRule AddingSerialPrimaryKeyField = new(
        "adding-serial-primary-key-field", LintSeverity.Error,
        "adds a primary key to an existing table, which builds its index under an exclusive lock",
        "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … PRIMARY KEY USING INDEX", "squawk");

    public static readonly LintRule AddingExclusionConstraint = new(
        "adding-exclusion-constraint", LintSeverity.Error,
        "adds an exclusion constraint to an existing table, which builds its index and checks every row under an exclusive lock",
        "there is no online way: add it while the table is small, or in a maintenance window with [AllowUnsafe]", "strong_migrations");

    public static readonly LintRule BanAlterDomainWithAddConstraint = new(
        "ban-alter-domain-with-add-constraint", LintSeverity.Error,
        "adds a constraint to a domain, which checks every column of that domain in every table under a lock",
        "add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration", "squawk");

    public static readonly LintRule ChangingColumnType = new(
        "changing-column-type", LintSeverity.Error,
        "changes a column's type in a way that rewrites the table and its indexes under an exclusive lock",
        "add a new column, fill it in batches, switch the code to it, then drop the old one", "squawk, strong_migrations");

    public static readonly LintRule AddingFieldWithDefault = new(
        "adding-field-with-default", LintSeverity.Error,
        "adds a column whose default is volatile (a value per row), which rewrites the whole table under an exclusive lock",
        "add it without a default (or with a constant one), then fill it in batches",
        "squawk, strong_migrations", FormerIds: ["adding-volatile-default"]);

    public static readonly LintRule AddingStoredGeneratedColumn = new(
        "adding-stored-generated-column", LintSeverity.Error,
        "adds a stored generated column, which computes it for every row: a rewrite under an exclusive lock",
        "add a plain column, fill it in batches, and keep it up to date from the code or a trigger", "strong_migrations");

    public static readonly LintRule AddingAutoIncrementColumn = new(
        "adding-auto-increment-column", LintSeverity.Error,
        "adds a serial or identity column to an existing table, which numbers every row: a rewrite under an exclusive lock",
        "add a nullable column with a sequence default for new rows, fill the old ones in batches", "strong_migrations");

    public static readonly LintRule TableRewrite = new(
        "table-rewrite", LintSeverity.Error,
        "rewrites a table that holds data, under an exclusive lock (seen on the throwaway database: the table's file changed)",
        "change it in steps that do not rewrite: a new column filled in batches, then a switch");

    public static readonly LintRule BanDropTable = new(
        "ban-drop-table", LintSeverity.Error,
        "drops a table and every row in it, which the running app may still read",
        "stop using it in the code and deploy first, back it up, then drop it deliberately with [AllowUnsafe]", "squawk, strong_migrations");

    public static readonly LintRule BanDropColumn = new(
        "ban-drop-column", LintSeverity.Error,
        "drops a column and its data, which the running app may still read",
        "stop using it in the code and deploy first, then drop it in a later migration with [AllowUnsafe]", "squawk, strong_migrations");

    public static readonly LintRule BanDropDatabase = new(
        "ban-drop-database", LintSeverity.Error,
        "drops a database",
        "not from a migration", "squawk", AboutExistingData: false);

    public static readonly LintRule BanServerWideStatement = new(
        "ban-server-wide-statement", LintSeverity.Error,
        "acts on the whole server (a role, another database, a tablespace, the server's settings), not on the migrated database: lint, check, adopt and --sql do not run it on their throwaway database",
        "provision it outside the migrations (an init script, the platform's roles), or allow it with [AllowUnsafe(\"ban-server-wide-statement\", …)]",
        AboutExistingData: false);

    public static readonly LintRule RenamingColumn = new(
        "renaming-column", LintSeverity.Error,
        "renames a column, which breaks the app still running during a rolling deploy",
        "add the new column, write both, move reads, then drop the old one", "squawk, strong_migrations");

    public static readonly LintRule RenamingTable = new(
        "renaming-table", LintSeverity.Error,
        "renames a table, which breaks the app still running during a rolling deploy",
        "create a view with the old name for the time of the deploy, or copy and switch in steps", "squawk, strong_migrations");

    public static readonly LintRule RenamingSchema = new(
        "renaming-schema", LintSeverity.Error,
        "renames a schema, which breaks every query of the running app that names it",
        "create the new schema, move the objects in steps, then drop the old one", "strong_migrations", AboutExistingData: false);

    public static readonly LintRule RenamingEnumValue = new(
        "renaming-enum-value", LintSeverity.Error,
        "renames an enum value, which breaks the running app that still writes the old one",
        "add the new value, move the rows and the code to it, then stop using the old one", AboutExistingData: false);

    public static readonly LintRule DownDoesNotUndoUp = new(
        "down-does-not-undo-up", LintSeverity.Error,
        "has a Down() that does not undo its Up(): up then down leaves a different schema",
        "make Down() the exact reverse of Up() (a rollback, or a branch switch, relies on it)",
        AboutExistingData: false);

    public static readonly LintRule BreakingChange = new(
        "breaking-change", LintSeverity.Error,
        "is marked BreakingChange: the app still running on the old code may break while it runs, and upgrade refuses it unless allowed",
        "deploy code that works with both shapes first, then apply it with --allow-breaking-changes and [AllowUnsafe(\"breaking-change\", …)]",
        AboutExistingData: false);

    public static IReadOnlyList<LintRule> All { get; } =
    [
        RequireConcurrentIndexCreation, RequireConcurrentIndexDeletion, RequireConcurrentReindex, RequireConcurrentPartitionDetach,
        BanConcurrentIndexCreationInTransaction, AddingRequiredField, AddingNotNullableField, ConstraintMissingNotValid, AddingForeignKeyConstraint,
        DisallowedUniqueConstraint, AddingSerialPrimaryKeyField, AddingExclusionConstraint, BanAlterDomainWithAddConstraint, ChangingColumnType,
        AddingFieldWithDefault, AddingStoredGeneratedColumn, AddingAutoIncrementColumn, TableRewrite, BanDropTable, BanDropColumn, BanDropDatabase,
        BanServerWideStatement,
        RenamingColumn, RenamingTable, RenamingSchema, RenamingEnumValue, DownDoesNotUndoUp, BreakingChange,
    ];

    /// <summary>The rule by its id or a former one; null when there is none.</summary>
    public static LintRule? Find(string id) => All.FirstOrDefault(r => r.IsCalled(id));
}
