using FluentMigrator;
using Superset.Migrations.Engine;
using Superset.Migrations.Lint;
using Superset.Migrations.Schema;

namespace Superset.Tests.Lint;

/// <summary>
/// Every lint rule, tripped by a migration's real SQL (scripted by FluentMigrator's generator, or written in
/// Execute.Sql) and not tripped by its near miss, against a schema in memory: no database.
/// </summary>
[Trait("Category", "Unit")]
public sealed class LintRuleTests
{
    /// <summary>What exists before the migration: users (id, name varchar(50) NULL, email text NOT NULL).</summary>
    private static readonly DatabaseSchema Before = new(
    [
        new TableSchema("users",
        [
            new ColumnSchema("id", ColumnType.Integer, Nullable: false, Default: null, Identity: true),
            new ColumnSchema("name", ColumnType.Varchar(50), Nullable: true, Default: null, Identity: false),
            new ColumnSchema("email", ColumnType.Text, Nullable: false, Default: null, Identity: false),
        ], new PrimaryKeySchema("users_pkey", ["id"]), [], [], []),
    ]);

    private static IReadOnlyList<LintFinding> Lint<TMigration>(DatabaseSchema? before = null) where TMigration : IMigration
    {
        var migration = MigrationSource.FromTypes([typeof(TMigration)]).Migrations.Single();
        var script = new MigrationScripter().Script(migration, MigrationDirection.Up);
        return SqlStatementLinter.Lint(migration, script.Steps.OfType<ScriptStep.Sql>().Select(s => s.Statement).ToArray(), before ?? Before);
    }

    private static LintFinding Single<TMigration>(LintRule rule) where TMigration : IMigration
    {
        var finding = Assert.Single(Lint<TMigration>());
        Assert.Equal(rule, finding.Rule);
        Assert.Equal(1, finding.Version);
        return finding;
    }

    [Fact]
    public void An_index_on_an_existing_table_without_concurrently_warns_and_one_on_a_new_table_does_not()
    {
        Assert.Equal("builds index ix_users_name on users without CONCURRENTLY", Single<IndexOnExistingTable>(LintRules.RequireConcurrentIndexCreation).Message);
        Assert.Empty(Lint<IndexOnNewTable>());
        Assert.Empty(Lint<IndexConcurrentlyOutsideTransaction>());
    }

    [Fact]
    public void Concurrently_inside_a_transactional_migration_is_an_error()
    {
        var finding = Single<IndexConcurrentlyInTransaction>(LintRules.BanConcurrentIndexCreationInTransaction);

        Assert.Equal(LintSeverity.Error, finding.Rule.Severity);
        Assert.True(finding.Fails);
    }

    [Fact]
    public void A_not_null_column_without_a_default_on_an_existing_table_is_an_error_and_with_a_default_it_is_not()
    {
        Assert.Equal("adds users.age NOT NULL without a default", Single<NotNullWithoutDefault>(LintRules.AddingRequiredField).Message);
        Assert.Empty(Lint<NotNullWithDefault>());
        Assert.Empty(Lint<NullableColumn>());
    }

    [Fact]
    public void Setting_not_null_on_a_nullable_column_warns_and_on_a_column_already_not_null_it_does_not()
    {
        Assert.Equal("sets users.name NOT NULL", Single<SetNameNotNull>(LintRules.AddingNotNullableField).Message);
        Assert.Empty(Lint<AlterEmailKeepingItNotNull>());
    }

    [Fact]
    public void A_foreign_key_or_check_without_not_valid_warns_and_with_not_valid_it_does_not()
    {
        Assert.Contains("foreign key fk_users_team", Single<ForeignKeyOnExistingTable>(LintRules.ConstraintMissingNotValid).Message);
        Assert.Contains("check ck_users_email", Single<CheckOnExistingTable>(LintRules.ConstraintMissingNotValid).Message);
        Assert.Empty(Lint<CheckNotValid>());
    }

    [Fact]
    public void A_unique_constraint_added_directly_warns_and_one_using_an_index_does_not()
    {
        Single<UniqueOnExistingTable>(LintRules.DisallowedUniqueConstraint);
        Assert.Empty(Lint<UniqueUsingIndex>());
    }

    [Fact]
    public void A_type_change_that_rewrites_warns_and_a_longer_varchar_does_not()
    {
        Assert.Equal("changes users.name from varchar(50) to integer", Single<NameToInteger>(LintRules.ChangingColumnType).Message);
        Assert.Empty(Lint<LongerName>());
        Assert.True(SqlStatementLinter.RewritesTable(ColumnType.Varchar(50), ColumnType.Varchar(20)));
        Assert.False(SqlStatementLinter.RewritesTable(ColumnType.Varchar(50), ColumnType.Text));
    }

    [Fact]
    public void Dropping_a_table_or_a_column_is_an_error_and_dropping_one_made_in_the_same_migration_is_not()
    {
        Assert.Equal("drops table users", Single<DropUsers>(LintRules.BanDropTable).Message);
        Assert.Equal("drops column users.email", Single<DropEmail>(LintRules.BanDropColumn).Message);
        Assert.Empty(Lint<CreateThenDropScratch>());
    }

    [Fact]
    public void Renaming_a_column_or_a_table_warns()
    {
        Assert.Equal("renames users.name to full_name", Single<RenameName>(LintRules.RenamingColumn).Message);
        Assert.Equal("renames table users to members", Single<RenameUsers>(LintRules.RenamingTable).Message);
    }

    [Fact]
    public void A_volatile_default_on_an_existing_table_warns_and_a_stable_one_does_not()
    {
        Assert.Equal("adds users.token with the volatile default gen_random_uuid()", Single<VolatileDefault>(LintRules.AddingFieldWithDefault).Message);
        Assert.Empty(Lint<NowDefault>());
    }

    [Fact]
    public void A_suppressed_finding_is_listed_with_its_reason_and_does_not_fail()
    {
        var finding = Single<AllowedDrop>(LintRules.BanDropColumn);

        Assert.True(finding.Suppressed);
        Assert.False(finding.Fails);
        Assert.Equal("unused since 2026-10", finding.SuppressedBecause);
        Assert.EndsWith("(allowed: unused since 2026-10)", finding.ToString());
    }

    [Fact]
    public void A_finding_reads_version_rule_severity_message_and_fix()
    {
        Assert.Equal(
            "1 ban-drop-column error drops column users.email: stop using it in the code and deploy first, then drop it in a later migration with [AllowUnsafe]",
            Single<DropEmail>(LintRules.BanDropColumn).ToString());
    }

    [Fact]
    public void Without_a_known_schema_every_table_counts_as_existing()
    {
        var findings = Lint<AlterEmailKeepingItNotNull>(DatabaseSchema.Empty);

        Assert.Contains(findings, f => f.Rule == LintRules.AddingNotNullableField);
        Assert.Contains(findings, f => f.Rule == LintRules.ChangingColumnType);
    }

    [Fact]
    public void Every_rule_has_a_distinct_id_and_says_what_to_do_instead()
    {
        Assert.Equal(LintRules.All.Count, LintRules.All.Select(r => r.Id).Distinct().Count());
        Assert.All(LintRules.All, rule => Assert.False(string.IsNullOrWhiteSpace(rule.Fix)));
        Assert.Same(LintRules.BanDropTable, LintRules.Find("ban-drop-table"));
    }

    // The migrations the rules are tried on: version 1 each, one thing each.
    [Migration(1, "index on users")]
    private sealed class IndexOnExistingTable : Migration
    {
        public override void Up() => Create.Index("ix_users_name").OnTable("users").OnColumn("name").Ascending();

        public override void Down() => Delete.Index("ix_users_name").OnTable("users");
    }

    [Migration(1, "index on a new table")]
    private sealed class IndexOnNewTable : Migration
    {
        public override void Up()
        {
            Create.Table("teams").WithColumn("id").AsInt32().PrimaryKey().WithColumn("name").AsString();
            Create.Index("ix_teams_name").OnTable("teams").OnColumn("name").Ascending();
        }

        public override void Down() => Delete.Table("teams");
    }

    [Migration(1, TransactionBehavior.None, "index concurrently")]
    private sealed class IndexConcurrentlyOutsideTransaction : Migration
    {
        public override void Up() => Execute.Sql("CREATE INDEX CONCURRENTLY ix_users_name ON users (name)");

        public override void Down() => Execute.Sql("DROP INDEX CONCURRENTLY ix_users_name");
    }

    [Migration(1, "index concurrently in a transaction")]
    private sealed class IndexConcurrentlyInTransaction : Migration
    {
        public override void Up() => Execute.Sql("CREATE INDEX CONCURRENTLY ix_users_name ON users (name)");

        public override void Down() => Execute.Sql("DROP INDEX ix_users_name");
    }

    [Migration(1, "add age")]
    private sealed class NotNullWithoutDefault : Migration
    {
        public override void Up() => Alter.Table("users").AddColumn("age").AsInt32().NotNullable();

        public override void Down() => Delete.Column("age").FromTable("users");
    }

    [Migration(1, "add age with a default")]
    private sealed class NotNullWithDefault : Migration
    {
        public override void Up() => Alter.Table("users").AddColumn("age").AsInt32().NotNullable().WithDefaultValue(0);

        public override void Down() => Delete.Column("age").FromTable("users");
    }

    [Migration(1, "add nickname")]
    private sealed class NullableColumn : Migration
    {
        public override void Up() => Alter.Table("users").AddColumn("nickname").AsString().Nullable();

        public override void Down() => Delete.Column("nickname").FromTable("users");
    }

    [Migration(1, "name not null")]
    private sealed class SetNameNotNull : Migration
    {
        public override void Up() => Execute.Sql("ALTER TABLE users ALTER COLUMN name SET NOT NULL");

        public override void Down() => Execute.Sql("ALTER TABLE users ALTER COLUMN name DROP NOT NULL");
    }

    [Migration(1, "email stays not null")]
    private sealed class AlterEmailKeepingItNotNull : Migration
    {
        public override void Up() => Alter.Column("email").OnTable("users").AsString().NotNullable();

        public override void Down() => Alter.Column("email").OnTable("users").AsString().NotNullable();
    }

    [Migration(1, "users in teams")]
    private sealed class ForeignKeyOnExistingTable : Migration
    {
        public override void Up() => Create.ForeignKey("fk_users_team").FromTable("users").ForeignColumn("id").ToTable("teams").PrimaryColumn("id");

        public override void Down() => Delete.ForeignKey("fk_users_team").OnTable("users");
    }

    [Migration(1, "check email")]
    private sealed class CheckOnExistingTable : Migration
    {
        public override void Up() => Execute.Sql("ALTER TABLE users ADD CONSTRAINT ck_users_email CHECK (email LIKE '%@%')");

        public override void Down() => Execute.Sql("ALTER TABLE users DROP CONSTRAINT ck_users_email");
    }

    [Migration(1, "check email not valid")]
    private sealed class CheckNotValid : Migration
    {
        public override void Up() => Execute.Sql("ALTER TABLE users ADD CONSTRAINT ck_users_email CHECK (email LIKE '%@%') NOT VALID");

        public override void Down() => Execute.Sql("ALTER TABLE users DROP CONSTRAINT ck_users_email");
    }

    [Migration(1, "unique email")]
    private sealed class UniqueOnExistingTable : Migration
    {
        public override void Up() => Create.UniqueConstraint("users_email_key").OnTable("users").Column("email");

        public override void Down() => Delete.UniqueConstraint("users_email_key").FromTable("users");
    }

    [Migration(1, "unique email using an index")]
    private sealed class UniqueUsingIndex : Migration
    {
        public override void Up() => Execute.Sql("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX ix_users_email");

        public override void Down() => Execute.Sql("ALTER TABLE users DROP CONSTRAINT users_email_key");
    }

    [Migration(1, "name to integer")]
    private sealed class NameToInteger : Migration
    {
        public override void Up() => Alter.Column("name").OnTable("users").AsInt32().Nullable();

        public override void Down() => Alter.Column("name").OnTable("users").AsString(50).Nullable();
    }

    [Migration(1, "longer name")]
    private sealed class LongerName : Migration
    {
        public override void Up() => Alter.Column("name").OnTable("users").AsString(100).Nullable();

        public override void Down() => Alter.Column("name").OnTable("users").AsString(50).Nullable();
    }

    [Migration(1, "drop users")]
    private sealed class DropUsers : Migration
    {
        public override void Up() => Delete.Table("users");

        public override void Down() => Create.Table("users").WithColumn("id").AsInt32();
    }

    [Migration(1, "drop email")]
    private sealed class DropEmail : Migration
    {
        public override void Up() => Delete.Column("email").FromTable("users");

        public override void Down() => Alter.Table("users").AddColumn("email").AsString().Nullable();
    }

    [Migration(1, "scratch table")]
    private sealed class CreateThenDropScratch : Migration
    {
        public override void Up()
        {
            Create.Table("scratch").WithColumn("id").AsInt32();
            Alter.Table("scratch").AddColumn("n").AsInt32().NotNullable();
            Delete.Column("n").FromTable("scratch");
            Delete.Table("scratch");
        }

        public override void Down()
        {
        }
    }

    [Migration(1, "rename name")]
    private sealed class RenameName : Migration
    {
        public override void Up() => Rename.Column("name").OnTable("users").To("full_name");

        public override void Down() => Rename.Column("full_name").OnTable("users").To("name");
    }

    [Migration(1, "rename users")]
    private sealed class RenameUsers : Migration
    {
        public override void Up() => Rename.Table("users").To("members");

        public override void Down() => Rename.Table("members").To("users");
    }

    [Migration(1, "token")]
    private sealed class VolatileDefault : Migration
    {
        public override void Up() => Execute.Sql("ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()");

        public override void Down() => Delete.Column("token").FromTable("users");
    }

    [Migration(1, "created at")]
    private sealed class NowDefault : Migration
    {
        public override void Up() => Alter.Table("users").AddColumn("created_at").AsDateTime().Nullable().WithDefault(SystemMethods.CurrentDateTime);

        public override void Down() => Delete.Column("created_at").FromTable("users");
    }

    [Migration(1, "drop email, deliberately")]
    [AllowUnsafe("ban-drop-column", Reason = "unused since 2026-10")]
    private sealed class AllowedDrop : Migration
    {
        public override void Up() => Delete.Column("email").FromTable("users");

        public override void Down() => Alter.Table("users").AddColumn("email").AsString().Nullable();
    }
}
