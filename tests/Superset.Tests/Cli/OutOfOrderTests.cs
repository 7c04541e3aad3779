using Superset.Tests.Shared;

namespace Superset.Tests.Cli;

/// <summary>Two developers add migrations in parallel: one lands older than the newest applied version.</summary>
[Trait("Category", "Db")]
public sealed class OutOfOrderTests
{
    [Fact]
    public async Task An_older_pending_migration_is_reported_refused_by_upgrade_and_applied_by_merge()
    {
        await using var database = await TestDatabases.NewAsync();
        var directory = TestPaths.NewTempDirectory("ooo");

        // Main has 1 and 3 applied; a branch brings 2, older than 3.
        var main = MigrationCompiler.Compile(directory, [MigrationSources.CreateTable(1, "alpha"), MigrationSources.CreateTable(3, "gamma")]);
        Assert.Equal(0, (await CliRunner.For(database, main).RunAsync("upgrade")).ExitCode);
        var merged = CliRunner.For(database, MigrationCompiler.Compile(directory,
            [MigrationSources.CreateTable(1, "alpha"), MigrationSources.CreateTable(2, "beta"), MigrationSources.CreateTable(3, "gamma")]));

        var status = await merged.RunAsync("status");
        Assert.Equal(3, status.ExitCode);
        Assert.Contains("2  create beta   (out of order: apply with 'merge')", status.Out);

        var heads = await merged.RunAsync("heads");
        Assert.Contains("Out-of-order migrations (1)", heads.Out);
        Assert.Contains("2  create beta", heads.Out);

        var upgrade = await merged.RunAsync("upgrade");
        Assert.Equal(4, upgrade.ExitCode);
        Assert.Contains("Out-of-order migrations: 2 (create beta)", upgrade.Error);
        Assert.Contains("'merge'", upgrade.Error);
        Assert.False(await database.TableExistsAsync("beta"));

        var merge = await merged.RunAsync("merge");
        Assert.Equal(0, merge.ExitCode);
        Assert.True(await database.TableExistsAsync("beta"));
        Assert.Equal("merge", await database.ScalarAsync<string>("SELECT applied_via FROM migrations.history WHERE version = 2"));

        var after = await merged.RunAsync("status", "--json");
        Assert.Equal(0, after.ExitCode);
        Assert.True(after.Json.GetProperty("atHead").GetBoolean());
        Assert.Equal(0, (await merged.RunAsync("merge", "--json")).Json.GetProperty("migrations").GetArrayLength());
    }

    [Fact]
    public async Task A_database_ahead_of_the_code_is_reported_and_refuses_upgrade_and_downgrade()
    {
        await using var database = await TestDatabases.NewAsync();
        var directory = TestPaths.NewTempDirectory("ahead");
        var newer = CliRunner.For(database, MigrationCompiler.Compile(directory, [MigrationSources.CreateTable(1, "alpha"), MigrationSources.CreateTable(2, "beta")]));
        await newer.RunAsync("upgrade");
        var older = CliRunner.For(database, MigrationCompiler.Compile(directory, [MigrationSources.CreateTable(1, "alpha")]));

        var status = await older.RunAsync("status");
        Assert.Equal(4, status.ExitCode);
        Assert.Contains("the database is ahead", status.Out);

        foreach (var command in new[] { "upgrade", "downgrade" })
        {
            var refused = await older.RunAsync(command);
            Assert.Equal(4, refused.ExitCode);
            Assert.Contains("Target database is not up to date with this code", refused.Error);
            Assert.Contains("Pull the latest migrations", refused.Error);
        }

        Assert.True(await database.TableExistsAsync("beta"));
    }
}
