using Superset.Migrations.Engine;
using Superset.Migrations.Lint;
using Superset.Migrations.Schema;

namespace Superset.Tests.Lint;

/// <summary>
/// Each hazard a peer stops, as the SQL a migration sends, and its near miss: the rule it trips (or none), against a
/// schema in memory. Pure code: the statement linter alone, with and without what the server was seen to do.
/// </summary>
[Trait("Category", "Unit")]
public sealed class LintStatementTests
{
    /// <summary>accounts (id, email varchar(20), owner_id, ip cidr), with an index, a unique index and a primary key.</summary>
    private static readonly DatabaseSchema Before = new(
    [
        new TableSchema("accounts",
        [
            new ColumnSchema("id", ColumnType.Parse("bigint"), Nullable: false, Default: null, Identity: false),
            new ColumnSchema("email", ColumnType.Varchar(20), Nullable: true, Default: null, Identity: false),
            new ColumnSchema("owner_id", ColumnType.Parse("bigint"), Nullable: true, Default: null, Identity: false),
            new ColumnSchema("ip", ColumnType.Parse("cidr"), Nullable: true, Default: null, Identity: false),
        ], new PrimaryKeySchema("accounts_pkey", ["id"]), [], [],
        [new IndexSchema("accounts_owner_idx", ["owner_id"], Unique: false), new IndexSchema("accounts_email_idx", ["email"], Unique: true)]),
    ]);

    public static TheoryData<string, string, bool, string?> Statements => new()
    {
        // statement(s) separated by " ;; ", the case, transactional, the rule it trips (null: none)
        { "DROP INDEX accounts_owner_idx", "index dropped in place", true, "require-concurrent-index-deletion" },
        { "DROP INDEX CONCURRENTLY accounts_owner_idx", "index dropped concurrently", false, null },
        { "CREATE INDEX made_here ON accounts (email) ;; DROP INDEX made_here", "index made and dropped in one migration", true, "require-concurrent-index-creation" },
        { "REINDEX INDEX accounts_owner_idx", "reindex in place", true, "require-concurrent-reindex" },
        { "REINDEX (VERBOSE) TABLE accounts", "reindex a table with options", true, "require-concurrent-reindex" },
        { "REINDEX INDEX CONCURRENTLY accounts_owner_idx", "reindex concurrently", false, null },
        { "REINDEX INDEX CONCURRENTLY accounts_owner_idx", "reindex concurrently in a transaction", true, "ban-concurrent-index-creation-in-transaction" },
        { "ALTER TABLE events DETACH PARTITION events_2025", "detach in place", true, "require-concurrent-partition-detach" },
        { "ALTER TABLE events DETACH PARTITION events_2025 CONCURRENTLY", "detach concurrently", false, null },
        { "ALTER TABLE accounts ADD COLUMN team_id bigint REFERENCES teams (id)", "a column with REFERENCES", true, "adding-foreign-key-constraint" },
        { "ALTER TABLE accounts ADD COLUMN team_id bigint", "a plain column", true, null },
        { "ALTER TABLE accounts ADD CONSTRAINT owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id) NOT VALID ;; ALTER TABLE accounts VALIDATE CONSTRAINT owner_fk",
            "NOT VALID then VALIDATE in one transaction", true, "constraint-missing-not-valid" },
        { "ALTER TABLE accounts ADD CONSTRAINT owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id) NOT VALID ;; ALTER TABLE accounts VALIDATE CONSTRAINT owner_fk",
            "NOT VALID then VALIDATE outside a transaction", false, null },
        { "ALTER TABLE accounts VALIDATE CONSTRAINT owner_fk", "VALIDATE of a constraint added earlier", true, null },
        { "ALTER TABLE accounts ADD COLUMN handle text UNIQUE", "a column with UNIQUE", true, "disallowed-unique-constraint" },
        { "ALTER TABLE accounts ADD UNIQUE (email)", "an unnamed unique constraint", true, "disallowed-unique-constraint" },
        { "ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE USING INDEX accounts_email_idx", "unique using an index", true, null },
        { "ALTER TABLE accounts ADD PRIMARY KEY (id)", "a primary key added in place", true, "adding-serial-primary-key-field" },
        { "ALTER TABLE accounts ADD COLUMN code serial PRIMARY KEY", "a serial primary key column", true, "adding-auto-increment-column" },
        { "ALTER TABLE accounts ADD CONSTRAINT accounts_pk PRIMARY KEY USING INDEX accounts_email_idx", "a primary key using an index", true, null },
        { "ALTER TABLE accounts ADD CONSTRAINT no_overlap EXCLUDE USING gist (id WITH =)", "an exclusion constraint", true, "adding-exclusion-constraint" },
        { "ALTER DOMAIN positive ADD CONSTRAINT above_zero CHECK (VALUE > 0)", "a domain constraint", true, "ban-alter-domain-with-add-constraint" },
        { "ALTER DOMAIN positive ADD CONSTRAINT above_zero CHECK (VALUE > 0) NOT VALID", "a domain constraint NOT VALID", true, null },
        { "ALTER TABLE accounts ADD COLUMN upper_email text GENERATED ALWAYS AS (upper(email)) STORED", "a stored generated column", true, "adding-stored-generated-column" },
        { "ALTER TABLE accounts ADD COLUMN number bigserial", "a bigserial column", true, "adding-auto-increment-column" },
        { "ALTER TABLE accounts ADD COLUMN number int GENERATED BY DEFAULT AS IDENTITY", "an identity column", true, "adding-auto-increment-column" },
        { "CREATE TABLE fresh (id int) ;; ALTER TABLE fresh ADD COLUMN number serial", "a serial column on a new table", true, null },
        { "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'", "an enum value renamed", true, "renaming-enum-value" },
        { "ALTER TYPE mood ADD VALUE 'calm'", "an enum value added", true, null },
        { "ALTER SCHEMA reports RENAME TO analytics", "a schema renamed", true, "renaming-schema" },
        { "DROP DATABASE legacy", "a database dropped", true, "ban-drop-database" },
        { "ALTER TABLE accounts ALTER COLUMN email TYPE varchar", "a varchar limit removed", true, null },
        { "ALTER TABLE accounts ALTER COLUMN email TYPE varchar(10)", "a varchar limit lowered", true, "changing-column-type" },
        { "ALTER TABLE accounts ALTER COLUMN ip TYPE inet", "cidr to inet", true, null },
        { "ALTER TABLE accounts ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp()", "a volatile default", true, "adding-field-with-default" },
    };

    [Theory]
    [MemberData(nameof(Statements))]
    public void A_statement_trips_the_rule_a_peer_has_for_it_and_its_near_miss_trips_none(string sql, string what, bool transactional, string? rule)
    {
        var findings = Lint(sql, transactional);

        if (rule is null)
        {
            Assert.True(findings.Count == 0, $"{what}: {string.Join("; ", findings)}");
        }
        else
        {
            Assert.True(findings.Any(f => f.Rule.Id == rule), $"{what}: {rule} not among {string.Join("; ", findings)}");
            Assert.All(findings, finding => Assert.True(finding.Fails, $"{what}: {finding} does not fail lint"));
        }
    }

    [Fact]
    public void What_the_server_did_decides_a_type_change_and_names_a_rewrite_no_pattern_knew()
    {
        var rewrote = new StatementEffects(new HashSet<string> { "accounts" }, new Dictionary<string, string> { ["accounts"] = "ACCESS EXCLUSIVE" });
        var nothing = new StatementEffects(new HashSet<string>(), new Dictionary<string, string> { ["accounts"] = "ACCESS EXCLUSIVE" });

        // A change the known casts would call a rewrite, seen not to rewrite: nothing to say.
        Assert.Empty(Lint("ALTER TABLE accounts ALTER COLUMN owner_id TYPE numeric", true, nothing));
        var typeChange = Assert.Single(Lint("ALTER TABLE accounts ALTER COLUMN owner_id TYPE numeric", true, rewrote));
        Assert.Equal("changes accounts.owner_id from bigint to numeric: it takes ACCESS EXCLUSIVE on accounts and rewrites it", typeChange.Message);

        // A default of the user's own function, seen to rewrite: the default is computed row by row.
        var userDefault = Assert.Single(Lint("ALTER TABLE accounts ADD COLUMN ref uuid DEFAULT make_ref()", true, rewrote));
        Assert.Equal(LintRules.AddingFieldWithDefault, userDefault.Rule);
        Assert.Empty(Lint("ALTER TABLE accounts ADD COLUMN ref uuid DEFAULT make_ref()", true, nothing));

        // Any other rewrite is said as one.
        var other = Assert.Single(Lint("ALTER TABLE accounts SET ACCESS METHOD heap2", true, rewrote));
        Assert.Equal(LintRules.TableRewrite, other.Rule);
        Assert.Contains("rewrites table accounts", other.Message);
    }

    [Fact]
    public void Suppressions_and_settings_that_name_a_rules_former_id_still_count()
    {
        Assert.Same(LintRules.AddingNotNullableField, LintRules.Find("setting-not-null"));
        Assert.Same(LintRules.BanConcurrentIndexCreationInTransaction, LintRules.Find("concurrently-in-transaction"));
        Assert.Same(LintRules.AddingFieldWithDefault, LintRules.Find("adding-volatile-default"));
        Assert.All(LintRules.All.Where(r => r != LintRules.BreakingChange), rule => Assert.Equal(LintSeverity.Error, rule.Severity));
    }

    private static IReadOnlyList<LintFinding> Lint(string sql, bool transactional, StatementEffects? effects = null)
    {
        var statements = sql.Split(" ;; ");
        var migration = new KnownMigration(1, "case", typeof(LintStatementTests), transactional);
        return SqlStatementLinter.Lint(migration, statements, Before, effects is null ? null : statements.Select(_ => effects).ToArray());
    }
}
