using Superset.Tests.Safety;
using Superset.Tests.Shared;

namespace Superset.Tests.Lint;

/// <summary>
/// What lint sees on the server while it replays a migration on its throwaway database: a rewrite no pattern can tell
/// (a default of the user's own volatile function) is caught, and changes the server does not rewrite for (a varchar
/// limit removed, cidr to inet, a default of an immutable function) are not reported.
/// </summary>
[Trait("Category", "Db")]
public sealed class LintObservationTests
{
    private static string Step(long version, string sql) =>
        MigrationSources.Migration(version, $"step {version}", $"Execute.Sql(@\"{sql.Replace("\"", "\"\"")}\");", "throw new NotSupportedException();", ns: "Observed");

    [Fact]
    public async Task A_rewrite_is_seen_on_the_server_and_what_rewrites_nothing_is_not_reported()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = Fixture.CliFor(database, Fixture.Compile(
            Step(1, """
                CREATE TABLE accounts (id bigint PRIMARY KEY, email varchar(20), ip cidr, name text);
                CREATE FUNCTION new_ref() RETURNS uuid LANGUAGE sql VOLATILE AS 'SELECT gen_random_uuid()';
                CREATE FUNCTION answer() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 42'
                """),
            Step(2, "ALTER TABLE accounts ADD COLUMN ref uuid DEFAULT new_ref()"),
            Step(3, "ALTER TABLE accounts ADD COLUMN answer int DEFAULT answer()"),
            Step(4, "ALTER TABLE accounts ALTER COLUMN email TYPE varchar"),
            Step(5, "ALTER TABLE accounts ALTER COLUMN ip TYPE inet"),
            Step(6, "ALTER TABLE accounts ADD COLUMN upper_name text GENERATED ALWAYS AS (upper(name)) STORED")));
        Assert.Equal(0, (await cli.RunAsync("upgrade", "--target", "1", "--no-backup")).ExitCode);

        var lint = await cli.RunAsync("lint", "--json");

        Assert.Equal(6, lint.ExitCode);
        var findings = lint.Json.GetProperty("findings").EnumerateArray()
            .Select(f => (Version: f.GetProperty("version").GetInt64(), Rule: f.GetProperty("rule").GetString(), Message: f.GetProperty("message").GetString()!))
            .ToArray();
        Assert.Equal([2L, 6L], findings.Select(f => f.Version));
        Assert.Equal("adding-field-with-default", findings[0].Rule);
        Assert.Equal("adds accounts.ref with the default new_ref(), computed for every row: it takes ACCESS EXCLUSIVE on accounts and rewrites it", findings[0].Message);
        Assert.Equal("adding-stored-generated-column", findings[1].Rule);
        Assert.EndsWith("it takes ACCESS EXCLUSIVE on accounts and rewrites it", findings[1].Message);
    }
}
