using Superset.Migrations.Engine;
using Superset.Migrations.Seeding;
using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.DeveloperDatabase;

/// <summary>Development seed data: once per database, all or nothing, at head only, in Development only.</summary>
[Trait("Category", "Db")]
public sealed class SeedTests
{
    [Fact]
    public async Task Seeding_twice_gives_the_same_rows_and_another_dataset_adds_its_own()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        var cli = CliRunner.For(database);

        var first = await cli.RunAsync("seed", "--json");
        var second = await cli.RunAsync("seed", "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(["welcome-posts"], first.Json.GetProperty("applied").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(second.Json.GetProperty("applied").EnumerateArray());
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM blog_posts"));

        var many = await cli.RunAsync("seed", "--dataset", "many-posts");
        Assert.True(many.ExitCode == 0, many.ToString());
        Assert.Equal(3L + Superset.Migrations.Seeds.ManyPostsSeed.Count, await database.ScalarAsync<long>("SELECT count(*) FROM blog_posts"));

        var unknown = await cli.RunAsync("seed", "--dataset", "nope");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("No seed dataset 'nope': the datasets are default, many-posts.", unknown.Error);
    }

    [Fact]
    public async Task Seed_data_waits_for_the_schema_at_head_and_a_failing_seed_adds_nothing()
    {
        await using var database = await TestDatabases.NewAsync();
        await using (var connection = await database.OpenAsync())
        {
            await new MigrationEngine(MigrationSource.App).UpgradeAsync(connection, new UpgradeRequest(Target: 20261124110000));
        }

        var behind = await CliRunner.For(database).RunAsync("seed");
        Assert.Equal(4, behind.ExitCode);
        Assert.Contains("run 'upgrade' first", behind.Error);
        Assert.False(await database.ScalarAsync<bool>("SELECT to_regclass('migrations.seeds') IS NOT NULL"));

        // A seed whose second statement fails: its first row goes too, and it is not recorded.
        await using (var connection = await database.OpenAsync())
        {
            await new MigrationEngine(MigrationSource.App).UpgradeAsync(connection, new UpgradeRequest());
            var failing = await Assert.ThrowsAsync<MigrationException>(() =>
                SeedRunner.RunAsync(connection, SeedCatalog.Of(MigrationSource.FromTypes([typeof(HalfSeed)])), SeedCatalog.DefaultDataset, "tests"));
            Assert.Contains("Seed 'half' failed, and added nothing: 42P01", failing.Message);
        }

        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM blog_posts"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.seeds"));
    }

    [Fact]
    public async Task The_worker_adds_the_seed_data_after_its_upgrade_in_development_only()
    {
        await using var development = await TestDatabases.NewAsync();
        await using var production = await TestDatabases.NewAsync();
        var cli = new CliRunner(databaseUri: "") { WorkingDirectory = TestPaths.NewTempDirectory("worker-alone") };

        var seeded = await cli.RunProcessAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__superset"] = development.ConnectionString,
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Migrations__SeedDataset"] = "default",
        });
        var refused = await cli.RunProcessAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__superset"] = production.ConnectionString,
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Migrations__SeedDataset"] = "default",
        });

        Assert.True(seeded.ExitCode == 0, seeded.ToString());
        Assert.Contains("Seed data 'default': ran welcome-posts", seeded.Out + seeded.Error);
        Assert.Equal(3L, await development.ScalarAsync<long>("SELECT count(*) FROM blog_posts"));
        Assert.True(refused.ExitCode == 0, refused.ToString());
        Assert.Contains("applies in Development only, not in Production: no seed data is added", refused.Out + refused.Error);
        Assert.Equal(0L, await production.ScalarAsync<long>("SELECT count(*) FROM blog_posts"));
    }

    [Fact]
    public async Task The_start_up_check_counts_seed_data_not_yet_added_as_work_without_a_backup()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        await using var connection = await database.OpenAsync();
        var engine = new MigrationEngine(MigrationSource.App);

        var before = await StartupCheck.RunAsync(engine, connection, seedDataset: SeedCatalog.DefaultDataset);
        Assert.Equal(StartupWork.MigrateOnly, before.Work);
        Assert.Equal("development seed data to add: welcome-posts", before.Reason);
        Assert.Equal(StartupWork.None, (await StartupCheck.RunAsync(engine, connection)).Work);

        await SeedRunner.RunAsync(connection, SeedCatalog.Of(MigrationSource.App), SeedCatalog.DefaultDataset, "tests");
        Assert.Equal(StartupWork.None, (await StartupCheck.RunAsync(engine, connection, seedDataset: SeedCatalog.DefaultDataset)).Work);
    }

    /// <summary>Inserts a post, then writes to a table that is not there.</summary>
    public sealed class HalfSeed : DevelopmentSeed
    {
        public override string Name => "half";

        public override async Task RunAsync(Npgsql.NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            await using var insert = new Npgsql.NpgsqlCommand("INSERT INTO blog_posts (title) VALUES ('first half')", connection);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            await using var broken = new Npgsql.NpgsqlCommand("INSERT INTO no_such_table VALUES (1)", connection);
            await broken.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
