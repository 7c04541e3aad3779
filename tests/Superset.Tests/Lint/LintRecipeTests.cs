using Superset.Tests.Cli;
using Superset.Tests.Safety;
using Superset.Tests.Shared;

namespace Superset.Tests.Lint;

/// <summary>
/// The safe recipes peers teach are not refused, and what looks safe but locks is named, on the real server: NOT NULL
/// through a validated <c>CHECK (col IS NOT NULL)</c> (in one migration committed step by step, and across migrations),
/// and a type change that rewrites no table but rebuilds the column's index.
/// </summary>
[Trait("Category", "Db")]
public sealed class LintRecipeTests
{
    private static readonly string CreateNotes = Migration(1,
        "Execute.Sql(\"CREATE TABLE notes (id int PRIMARY KEY, body text)\");", "Execute.Sql(\"DROP TABLE notes\");");

    private static string Migration(long version, string up, string down, string arguments = "") =>
        MigrationSources.Migration(version, $"change {version}", up, down, migrationArguments: arguments, ns: "Recipes");

    private static string Sql(string sql) => $"Execute.Sql(\"{sql}\");";

    [Fact]
    public async Task Not_null_through_a_validated_check_in_one_migration_committed_step_by_step_is_not_refused()
    {
        await using var database = await TestDatabases.NewAsync();
        var recipe = Migration(2,
            Sql("ALTER TABLE notes ADD CONSTRAINT notes_body_not_null CHECK (body IS NOT NULL) NOT VALID") +
            Sql("ALTER TABLE notes VALIDATE CONSTRAINT notes_body_not_null") +
            Sql("ALTER TABLE notes ALTER COLUMN body SET NOT NULL") +
            Sql("ALTER TABLE notes DROP CONSTRAINT notes_body_not_null"),
            Sql("ALTER TABLE notes ALTER COLUMN body DROP NOT NULL"), "TransactionBehavior.None");

        var lint = await Fixture.CliFor(database, Fixture.Compile(CreateNotes, recipe)).RunAsync("lint", "--json");

        Assert.True(lint.ExitCode == 0, lint.ToString());
        Assert.Empty(lint.Json.GetProperty("findings").EnumerateArray());
    }

    [Fact]
    public async Task Not_null_through_a_check_validated_by_an_earlier_migration_is_not_refused_and_without_it_is()
    {
        await using var database = await TestDatabases.NewAsync();
        var addCheck = Migration(2, Sql("ALTER TABLE notes ADD CONSTRAINT notes_body_not_null CHECK (body IS NOT NULL) NOT VALID"),
            Sql("ALTER TABLE notes DROP CONSTRAINT notes_body_not_null"));
        var validate = Migration(3, Sql("ALTER TABLE notes VALIDATE CONSTRAINT notes_body_not_null"), "");
        var setNotNull = Migration(4, Sql("ALTER TABLE notes ALTER COLUMN body SET NOT NULL"), Sql("ALTER TABLE notes ALTER COLUMN body DROP NOT NULL"));

        var safe = await Fixture.CliFor(database, Fixture.Compile(CreateNotes, addCheck, validate, setNotNull)).RunAsync("lint", "--json");
        Assert.True(safe.ExitCode == 0, safe.ToString());
        Assert.Empty(safe.Json.GetProperty("findings").EnumerateArray());

        // Without the validation the check proves nothing: SET NOT NULL scans the table under its lock.
        var unvalidated = await Fixture.CliFor(database, Fixture.Compile(CreateNotes, addCheck, setNotNull.Replace("M4", "M3").Replace("(4,", "(3,")))
            .RunAsync("lint", "--json");
        Assert.Equal(6, unvalidated.ExitCode);
        var finding = Assert.Single(unvalidated.Json.GetProperty("findings").EnumerateArray());
        Assert.Equal("adding-not-nullable-field", finding.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_type_change_that_rewrites_nothing_but_rebuilds_the_columns_index_is_named()
    {
        await using var database = await TestDatabases.NewAsync();
        await database.ExecuteAsync("CREATE EXTENSION citext");
        var indexed = Migration(1,
            Sql("CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, nick text)") + Sql("CREATE INDEX ix_users_email ON users (email)"),
            Sql("DROP TABLE users"));
        var toCitext = Migration(2, Sql("ALTER TABLE users ALTER COLUMN email TYPE citext"), Sql("ALTER TABLE users ALTER COLUMN email TYPE text"));
        var unindexed = Migration(3, Sql("ALTER TABLE users ALTER COLUMN nick TYPE citext"), Sql("ALTER TABLE users ALTER COLUMN nick TYPE text"));

        var lint = await Fixture.CliFor(database, Fixture.Compile(indexed, toCitext, unindexed)).RunAsync("lint", "--json");

        Assert.Equal(6, lint.ExitCode);
        var finding = Assert.Single(lint.Json.GetProperty("findings").EnumerateArray());
        Assert.Equal("changing-column-type", finding.GetProperty("rule").GetString());
        Assert.Equal(2, finding.GetProperty("version").GetInt64());
        Assert.Contains("without a rewrite, but rebuilds index ix_users_email", finding.GetProperty("message").GetString());
    }
}
