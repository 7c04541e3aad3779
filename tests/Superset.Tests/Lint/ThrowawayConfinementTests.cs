using Npgsql;
using Superset.Migrations.Connection;
using Superset.Tests.Cli;
using Superset.Tests.DeveloperDatabase;
using Superset.Tests.Safety;
using Superset.Tests.Shared;

namespace Superset.Tests.Lint;

/// <summary>
/// The throwaway database of lint, check, adopt and <c>--sql</c> stays throwaway: a migration that acts on the whole
/// server (another database, a role) changes nothing outside it and is named by lint; a throwaway left by a killed run
/// is removed by the next; it has the extensions of the database it stands for.
/// </summary>
[Trait("Category", "Db")]
[Collection(nameof(WorkDatabasesCollection))]
public sealed class ThrowawayConfinementTests
{
    private static string Migration(long version, string up, string arguments = "", string down = "") =>
        MigrationSources.Migration(version, $"change {version}", up, down, migrationArguments: arguments, ns: "Confinement");

    [Fact]
    public async Task Lint_of_migrations_that_drop_a_database_or_create_a_role_changes_nothing_outside_its_throwaway()
    {
        await using var database = await TestDatabases.NewAsync();
        await using var victim = await TestDatabases.NewAsync();
        var role = $"r_{Guid.NewGuid():N}"[..20];
        var assembly = Fixture.Compile(
            Fixture.CreateTable(1, "notes"),
            Migration(2, $"Execute.Sql(\"DROP DATABASE {victim.Name}\");", "TransactionBehavior.None"),
            Migration(3, $"Execute.Sql(\"CREATE ROLE {role} NOLOGIN; GRANT SELECT ON notes TO PUBLIC\");"),
            Migration(4, $"Execute.Sql(\"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}x') THEN CREATE ROLE {role}x; END IF; END $$\");"),
            Migration(5, "Execute.Sql(\"ALTER SYSTEM SET work_mem = '77MB'\");", "TransactionBehavior.None"));

        var lint = await Fixture.CliFor(database, assembly).RunAsync("lint", "--json");

        Assert.True(lint.ExitCode == 6, lint.ToString());
        var findings = lint.Json.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("version").GetInt64(), f.GetProperty("rule").GetString())).ToArray();
        Assert.Contains((2L, "ban-drop-database"), findings);
        Assert.Contains((3L, "ban-server-wide-statement"), findings);
        Assert.Contains((4L, "ban-server-wide-statement"), findings);
        Assert.Contains((5L, "ban-server-wide-statement"), findings);

        Assert.Equal(1, await database.ScalarAsync<int>($"SELECT count(*)::int FROM pg_database WHERE datname = '{victim.Name}'"));
        Assert.Equal(0, await database.ScalarAsync<int>($"SELECT count(*)::int FROM pg_roles WHERE rolname IN ('{role}', '{role}x')"));
        Assert.NotEqual("77MB", await database.ScalarAsync<string>("SELECT coalesce((SELECT setting FROM pg_file_settings WHERE name = 'work_mem' AND sourcefile LIKE '%auto.conf'), '')"));
    }

    [Fact]
    public async Task A_throwaway_left_by_a_killed_run_is_removed_by_the_next_run_and_nothing_else_is()
    {
        await using var database = await TestDatabases.NewAsync();
        var abandoned = $"{WorkDatabases.Prefix}{WorkDatabases.ThisHost}_{int.MaxValue}_0123abcd";
        var otherMachine = $"{WorkDatabases.Prefix}0badc0de_{int.MaxValue}_0123abcd";
        await using (var admin = await database.Server.OpenAsync("postgres"))
        {
            await SqlCommands.ExecuteAsync(admin, $"CREATE DATABASE \"{abandoned}\"");
            await SqlCommands.ExecuteAsync(admin, $"CREATE DATABASE \"{otherMachine}\"");
        }

        try
        {
            var lint = await Fixture.CliFor(database, Fixture.Compile(Fixture.CreateTable(1, "notes"))).RunAsync("lint");
            Assert.True(lint.ExitCode == 0, lint.ToString());

            Assert.Equal(0, await database.ScalarAsync<int>($"SELECT count(*)::int FROM pg_database WHERE datname = '{abandoned}'"));
            Assert.Equal(1, await database.ScalarAsync<int>($"SELECT count(*)::int FROM pg_database WHERE datname = '{otherMachine}'"));
        }
        finally
        {
            await using var admin = await database.Server.OpenAsync("postgres");
            await SqlCommands.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{otherMachine}\"");
        }
    }

    [Fact]
    public async Task A_database_made_with_an_extension_before_its_first_migration_scripts_and_lints_with_it()
    {
        await using var database = await TestDatabases.NewAsync();
        await database.ExecuteAsync("CREATE EXTENSION citext");
        // The second migration asks the live schema, so --sql scripts it on a throwaway built to the database's version.
        var assembly = Fixture.Compile(
            Migration(1, "Execute.Sql(\"CREATE TABLE users (id int PRIMARY KEY, email citext NOT NULL)\");", down: "Delete.Table(\"users\");"),
            Migration(2, "if (!Schema.Table(\"users\").Column(\"nick\").Exists()) { Execute.Sql(\"ALTER TABLE users ADD COLUMN nick citext\"); }",
                down: "Delete.Column(\"nick\").FromTable(\"users\");"));
        var cli = Fixture.CliFor(database, assembly);

        var script = await cli.RunAsync("upgrade", "--sql");
        Assert.True(script.ExitCode == 0, script.ToString());
        var lint = await cli.RunAsync("lint");
        Assert.True(lint.ExitCode == 0, lint.ToString());

        // The script replayed by psql gives the schema upgrade gives.
        await using var replayed = await TestDatabases.NewAsync();
        await replayed.ExecuteAsync("CREATE EXTENSION citext");
        var psql = await replayed.RunPsqlAsync(script.Out);
        Assert.True(psql.Succeeded, psql.StandardError);
        Assert.Equal(0, (await cli.RunAsync("upgrade", "--no-backup")).ExitCode);
        Assert.Equal(
            await SchemaDump.OfAsync(database.Server.ConnectionString(database.Name)),
            await SchemaDump.OfAsync(replayed.Server.ConnectionString(replayed.Name)));
    }
}
