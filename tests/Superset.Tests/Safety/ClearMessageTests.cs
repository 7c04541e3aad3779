using Npgsql;
using Superset.Migrations.Engine;
using Superset.Migrations.Seeding;
using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.Safety;

/// <summary>
/// What used to end in a raw SQL state, an "unexpected error" or a record's ToString(): each now names the object and
/// what to do, in one line; and two first seeds at once both succeed.
/// </summary>
[Trait("Category", "Db")]
public sealed class ClearMessageTests
{
    [Theory]
    [InlineData("CREATE TABLE public.\"VersionInfo\" (version bigint, applied_on timestamp, description text)")]
    [InlineData("CREATE TABLE public.\"VersionInfo\" (\"Version\" text, \"AppliedOn\" timestamp, \"Description\" text); INSERT INTO public.\"VersionInfo\" VALUES ('v1', now(), 'x')")]
    public async Task A_VersionInfo_of_another_layout_is_named_with_what_to_do(string table)
    {
        await using var database = await TestDatabases.NewAsync();
        await database.ExecuteAsync(table);
        var cli = CliRunner.For(database);

        foreach (var command in new[] { new[] { "status" }, ["upgrade", "--no-backup"], ["adopt"] })
        {
            var result = await cli.RunAsync(command);
            Assert.True(result.ExitCode == 4, $"{command[0]}: {result}");
            Assert.Contains("public.\"VersionInfo\" is not FluentMigrator's default version table", result.Error);
            Assert.Contains("RENAME TO", result.Error);
            Assert.Single(result.Error.Trim().Split('\n'));
        }
    }

    [Fact]
    public async Task A_seed_whose_code_throws_is_named()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        await using var connection = await database.OpenAsync();
        var failing = await Assert.ThrowsAsync<MigrationException>(() =>
            SeedRunner.RunAsync(connection, SeedCatalog.Of(MigrationSource.FromTypes([typeof(ThrowingSeed)])), SeedCatalog.DefaultDataset, "tests"));
        Assert.Equal("Seed 'throws' failed, and added nothing: KeyNotFoundException: no such author. Fix the seed's code and run 'seed' again.", failing.Message);
    }

    [Fact]
    public async Task Two_first_seeds_at_once_both_succeed_and_add_the_rows_once()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        var cli = CliRunner.For(database);
        var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => cli.RunProcessAsync("seed")));
        Assert.All(both, seed => Assert.True(seed.ExitCode == 0, seed.ToString()));
        Assert.Equal(await database.ScalarAsync<long>("SELECT count(*) FROM migrations.seeds"),
            await database.ScalarAsync<long>("SELECT count(DISTINCT name) FROM migrations.seeds"));
        var once = await database.ScalarAsync<long>("SELECT count(*) FROM blog_posts");
        Assert.Equal(0, (await cli.RunAsync("seed")).ExitCode);
        Assert.Equal(once, await database.ScalarAsync<long>("SELECT count(*) FROM blog_posts"));
    }

    [Fact]
    public async Task Lint_stopped_by_statement_timeout_says_it_was_lints_replay_and_what_to_raise()
    {
        await using var database = await TestDatabases.NewAsync();
        var assembly = Fixture.Compile(Fixture.CreateTable(1, "notes"), Fixture.Migration(2, "slow", "Execute.Sql(\"SELECT pg_sleep(10)\");"));
        var cli = new CliRunner(CliRunner.For(database).DatabaseUri + "?options=" + Uri.EscapeDataString("-c statement_timeout=3000"), assembly);

        var lint = await cli.RunAsync("lint");

        Assert.Equal(1, lint.ExitCode);
        Assert.Contains("Lint replays the migrations on a throwaway database, and migration 2 (slow) failed there (57014", lint.Error);
        Assert.Contains("statement_timeout", lint.Error);
        Assert.DoesNotContain("while upgrading", lint.Error);
    }

    [Fact]
    public async Task Adopting_a_database_this_engine_migrates_names_its_version()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        var adopt = await CliRunner.For(database).RunAsync("adopt");
        Assert.Equal(4, adopt.ExitCode);
        Assert.Contains("it is at 20261124120000 (add blog_posts table)", adopt.Error);
        Assert.DoesNotContain("AppliedMigration", adopt.Error);
    }

    public sealed class ThrowingSeed : DevelopmentSeed
    {
        public override string Name => "throws";

        public override Task RunAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
            throw new KeyNotFoundException("no such author");
    }
}

/// <summary>
/// template1 held by a session: every database created meanwhile on the server fails (55006), so this runs alone, never
/// beside tests that create databases.
/// </summary>
[Trait("Category", "Db")]
[Collection(nameof(Superset.Tests.DeveloperDatabase.WorkDatabasesCollection))]
public sealed class Template1InUseTests
{
    [Fact]
    public async Task Template1_in_use_is_named_with_what_to_do()
    {
        await using var database = await TestDatabases.NewAsync();
        var builder = database.Server.ConnectionString("template1");
        builder.Pooling = false;
        await using var onTemplate = new NpgsqlConnection(builder.ConnectionString);
        await onTemplate.OpenAsync();

        var lint = await Fixture.CliFor(database, Fixture.Compile(Fixture.CreateTable(1, "notes"))).RunAsync("lint");

        Assert.Equal(1, lint.ExitCode);
        Assert.Contains("template1 is in use", lint.Error);
        Assert.Contains("close the session connected to template1", lint.Error);
    }
}
