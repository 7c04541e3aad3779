using Superset.Tests.Shared;

namespace Superset.Tests.RealHistories;

/// <summary>
/// Migrations written the way real FluentMigrator projects write them, one pattern each, compiled for the real
/// <c>--migrations-assembly</c> option: maintenance and profile migrations, tags, C# data steps, SQL scripts on disk and
/// embedded, database-specific branches, auto-reversing, non-transactional and breaking-change migrations, migrations
/// that ask the live schema, and each way of being irreversible.
/// </summary>
internal static class Corpus
{
    private const string Usings = "using System; using System.Data; using FluentMigrator;";

    /// <summary>A table, and a first row written by C# inside the migration's transaction.</summary>
    public static string CreateAccounts(long version = 1) => $$"""
        {{Usings}}
        namespace Corpus;
        [Migration({{version}}, "create accounts")]
        public sealed class CreateAccounts : Migration
        {
            public override void Up()
            {
                Create.Table("accounts").WithColumn("id").AsInt32().PrimaryKey().WithColumn("name").AsString(100).NotNullable();
                Execute.WithConnection((connection, transaction) =>
                {
                    using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "INSERT INTO accounts (id, name) VALUES (1, 'first')";
                    command.ExecuteNonQuery();
                }, "the first account");
            }

            public override void Down() => Delete.Table("accounts");
        }
        """;

    /// <summary>A migration whose C# data step writes, then throws: all of it must be rolled back.</summary>
    public static string DataStepThatThrows(long version) => $$"""
        {{Usings}}
        namespace Corpus;
        [Migration({{version}}, "copy accounts then fail")]
        public sealed class DataStepThatThrows : Migration
        {
            public override void Up()
            {
                Create.Table("account_copies").WithColumn("id").AsInt32().PrimaryKey();
                Execute.WithConnection((connection, transaction) =>
                {
                    using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "INSERT INTO account_copies (id) SELECT id FROM accounts";
                    command.ExecuteNonQuery();
                    throw new InvalidOperationException("the copy does not add up");
                });
            }

            public override void Down() => Delete.Table("account_copies");
        }
        """;

    /// <summary><c>Execute.Script</c> of a file beside the assembly, as <c>CopyToOutputDirectory</c> puts it there.</summary>
    public static string ScriptFile(long version, string file) => $$"""
        {{Usings}}
        namespace Corpus;
        [Migration({{version}}, "tables from a script file")]
        public sealed class ScriptFile : Migration
        {
            public override void Up() => Execute.Script("{{file}}");
            public override void Down() => Execute.Sql("DROP TABLE from_script");
        }
        """;

    public const string ScriptFileSql = "CREATE TABLE from_script (id integer PRIMARY KEY, note text);\nINSERT INTO from_script VALUES (1, 'from a file');\n";

    /// <summary><c>Execute.EmbeddedScript</c> of a resource of the migrations' assembly.</summary>
    public static string EmbeddedScript(long version) => $$"""
        {{Usings}}
        namespace Corpus;
        [Migration({{version}}, "tables from an embedded script")]
        public sealed class EmbeddedScript : Migration
        {
            public override void Up() => Execute.EmbeddedScript("create_from_resource.sql");
            public override void Down() => Delete.Table("from_resource");
        }
        """;

    public static readonly IReadOnlyDictionary<string, string> EmbeddedResources = new Dictionary<string, string>
    {
        ["Corpus.Scripts.create_from_resource.sql"] = "CREATE TABLE from_resource (id integer PRIMARY KEY);\n",
    };

    /// <summary>
    /// Database-specific branches: by name, by alias, and by predicate. FluentMigrator's PostgreSQL 15 processor answers
    /// to "PostgreSQL15_0" and "PostgreSQL" (not "Postgres").
    /// </summary>
    public static string IfDatabase(long version) => $$"""
        {{Usings}}
        namespace Corpus;
        [Migration({{version}}, "per database")]
        public sealed class PerDatabase : Migration
        {
            public override void Up()
            {
                IfDatabase(ProcessorIdConstants.PostgreSQL).Create.Table("only_postgres").WithColumn("id").AsInt32().PrimaryKey();
                IfDatabase("SqlServer", "SQLite", "Postgres").Create.Table("only_others").WithColumn("id").AsInt32().PrimaryKey();
                IfDatabase(type => type.StartsWith("PostgreSQL", StringComparison.Ordinal)).Create.Table("by_predicate").WithColumn("id").AsInt32().PrimaryKey();
            }

            public override void Down()
            {
                IfDatabase(ProcessorIdConstants.PostgreSQL).Delete.Table("only_postgres");
                IfDatabase(type => type.StartsWith("PostgreSQL", StringComparison.Ordinal)).Delete.Table("by_predicate");
            }
        }
        """;

    /// <summary>FluentMigrator writes its Down() from its Up().</summary>
    public static string AutoReversing(long version) => $$"""
        {{Usings}}
        namespace Corpus;
        [Migration({{version}}, "auto reversed")]
        public sealed class AutoReversed : AutoReversingMigration
        {
            public override void Up()
            {
                Create.Table("auto_reversed").WithColumn("id").AsInt32().PrimaryKey().WithColumn("code").AsString(20).NotNullable();
                Create.Index("ix_auto_reversed_code").OnTable("auto_reversed").OnColumn("code");
            }
        }
        """;

    /// <summary>Outside a transaction, as PostgreSQL requires for CONCURRENTLY.</summary>
    public static string NoTransaction(long version) => $$"""
        {{Usings}}
        namespace Corpus;
        [Migration({{version}}, TransactionBehavior.None, "index accounts concurrently")]
        public sealed class IndexConcurrently : Migration
        {
            public override void Up() => Execute.Sql("CREATE INDEX CONCURRENTLY ix_accounts_name ON accounts (name)");
            public override void Down() => Execute.Sql("DROP INDEX CONCURRENTLY ix_accounts_name");
        }
        """;

    public static string BreakingChange(long version) => $$"""
        {{Usings}}
        namespace Corpus;
        [Migration({{version}}, "rename accounts.name", BreakingChange = true)]
        public sealed class RenameName : Migration
        {
            public override void Up() => Rename.Column("name").OnTable("accounts").To("display_name");
            public override void Down() => Rename.Column("display_name").OnTable("accounts").To("name");
        }
        """;

    /// <summary>Its SQL depends on what the database holds: <c>Schema.Table(…).Column(…).Exists()</c>.</summary>
    public static string AsksTheSchema(long version) => $$"""
        {{Usings}}
        namespace Corpus;
        [Migration({{version}}, "add accounts.email unless there")]
        public sealed class AddEmailUnlessThere : Migration
        {
            public override void Up()
            {
                if (!Schema.Table("accounts").Column("email").Exists())
                {
                    Alter.Table("accounts").AddColumn("email").AsString(200).Nullable();
                }
            }

            public override void Down() => Delete.Column("email").FromTable("accounts");
        }
        """;

    /// <summary>Run only when the tag is asked for.</summary>
    public static string Tagged(long version, string tag) => $$"""
        {{Usings}}
        namespace Corpus;
        [Migration({{version}}, "tagged {{tag}}")]
        [Tags("{{tag}}")]
        public sealed class Tagged_{{tag.Replace('-', '_')}} : Migration
        {
            public override void Up() => Create.Table("tagged_{{tag.Replace('-', '_')}}").WithColumn("id").AsInt32().PrimaryKey();
            public override void Down() => Delete.Table("tagged_{{tag.Replace('-', '_')}}");
        }
        """;

    /// <summary>The five maintenance stages, each writing its name to a log table it makes when missing.</summary>
    public static string Maintenance() => $$"""
        {{Usings}}
        namespace Corpus;
        public abstract class LogStage : Migration
        {
            protected abstract string Stage { get; }
            public override void Up()
            {
                Execute.Sql("CREATE TABLE IF NOT EXISTS maintenance_log (id serial PRIMARY KEY, stage text NOT NULL)");
                Execute.Sql($"INSERT INTO maintenance_log (stage) VALUES ('{Stage}')");
            }
            public override void Down() { }
        }
        [Maintenance(MigrationStage.BeforeAll)] public sealed class M1BeforeAll : LogStage { protected override string Stage => "BeforeAll"; }
        [Maintenance(MigrationStage.BeforeEach)] public sealed class M2BeforeEach : LogStage { protected override string Stage => "BeforeEach"; }
        [Maintenance(MigrationStage.AfterEach)] public sealed class M3AfterEach : LogStage { protected override string Stage => "AfterEach"; }
        [Maintenance(MigrationStage.BeforeProfiles)] public sealed class M4BeforeProfiles : LogStage { protected override string Stage => "BeforeProfiles"; }
        [Maintenance(MigrationStage.AfterAll, TransactionBehavior.None)] public sealed class M5AfterAll : LogStage { protected override string Stage => "AfterAll"; }
        """;

    /// <summary>Development data: idempotent, so that every upgrade can run it.</summary>
    public static string DevelopmentProfile() => $$"""
        {{Usings}}
        namespace Corpus;
        [Profile("Development")]
        public sealed class DevelopmentAccounts : Migration
        {
            public override void Up() => Execute.Sql("INSERT INTO accounts (id, name) VALUES (100, 'demo') ON CONFLICT (id) DO NOTHING");
            public override void Down() { }
        }
        """;

    /// <summary>A migration that cannot be reverted, in each of the ways FluentMigrator projects write one.</summary>
    public static string Irreversible(long version, string kind) => kind switch
    {
        "forward-only" => $$"""
            {{Usings}}
            namespace Corpus;
            [Migration({{version}}, "forward only")]
            public sealed class ForwardOnly : ForwardOnlyMigration
            {
                public override void Up() => Create.Table("forward_only").WithColumn("id").AsInt32().PrimaryKey();
            }
            """,
        "not-implemented" => Plain(version, "down not implemented", "throw new NotImplementedException();"),
        "throws" => Plain(version, "down throws", "throw new InvalidOperationException(\"the data cannot be put back\");"),
        "empty" => Plain(version, "down does nothing", ""),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>What each kind's history row says.</summary>
    public static string IrreversibleReason(string kind) => kind switch
    {
        "forward-only" => "it derives from ForwardOnlyMigration",
        "not-implemented" => "its Down() throws NotImplementedException",
        "throws" => "its Down() throws InvalidOperationException: the data cannot be put back",
        "empty" => "its Down() does nothing",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A migration that makes <c>plain_{version}</c>, with the given Down() body.</summary>
    public static string Plain(long version, string description, string down) =>
        MigrationSources.Migration(version, description, $"Create.Table(\"plain_{version}\").WithColumn(\"id\").AsInt32().PrimaryKey();", down, ns: "Corpus");

    /// <summary>A migration whose Up() or Down() throws <paramref name="exception"/> (a type name) while it is scripted.</summary>
    public static string Throwing(long version, string where, string exception) => $$"""
        {{Usings}}
        namespace Corpus;
        public sealed class CorpusException : Exception { public CorpusException(string message) : base(message) { } }
        [Migration({{version}}, "throws in {{where}}")]
        public sealed class Throws{{version}} : Migration
        {
            public override void Up() { {{(where == "up" ? $"throw new {exception}(\"from Up\");" : "Create.Table(\"thrower\").WithColumn(\"id\").AsInt32().PrimaryKey();")}} }
            public override void Down() { {{(where == "down" ? $"throw new {exception}(\"from Down\");" : "Delete.Table(\"thrower\");")}} }
        }
        """;

    public static string Compile(params string[] sources) => MigrationCompiler.Compile(TestPaths.NewTempDirectory("corpus"), sources, EmbeddedResources);
}
