using Superset.Tests.Shared;

namespace Superset.Tests.Cli;

/// <summary>The seed's CI job, and the seed's refusals as a real process shows them.</summary>
[Trait("Category", "Db")]
public sealed class SeedWorkflowTests
{
    [Fact]
    public async Task Init_create_test_migration_then_upgrade_on_a_fresh_database()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database, migrationsDirectory: CopyOfAppMigrations());

        Assert.Equal(0, (await cli.RunAsync("init")).ExitCode);
        var create = await cli.RunAsync("create", "test migration");
        Assert.Equal(0, create.ExitCode);
        Assert.Contains("No changes in schema detected.", create.Out);
        var upgrade = await cli.RunAsync("upgrade");

        Assert.Equal(0, upgrade.ExitCode);
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
    }

    [Fact]
    public async Task Create_empty_writes_a_migration_that_the_next_build_applies()
    {
        await using var database = await TestDatabases.NewAsync();
        var migrations = CopyOfAppMigrations();
        var cli = CliRunner.For(database, migrationsDirectory: migrations);

        Assert.Equal(0, (await cli.RunAsync("create", "test migration", "--empty")).ExitCode);

        // What the script's build step does: compile the folder, the new migration with it.
        var built = MigrationCompiler.Compile(TestPaths.NewTempDirectory("seedci-bin"), Directory.GetFiles(migrations).Select(File.ReadAllText));
        var upgrade = await CliRunner.For(database, built).RunAsync("upgrade");

        Assert.Equal(0, upgrade.ExitCode);
        Assert.Contains("test migration", upgrade.Out);
        Assert.Equal(4L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
    }

    private static string CopyOfAppMigrations()
    {
        var migrations = TestPaths.NewTempDirectory("seedci");
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "Superset.Migrations", "Migrations")))
        {
            File.Copy(file, Path.Combine(migrations, Path.GetFileName(file)));
        }

        return migrations;
    }

    [Fact]
    public async Task A_wrong_password_fails_in_one_line_that_does_not_show_it()
    {
        var server = await TestPostgresServer.GetAsync();
        var builder = server.ConnectionString("postgres");
        var result = await new CliRunner($"postgresql://postgres:Wr0ngPassw0rd@{builder.Host}:{builder.Port}/postgres").RunProcessAsync("status");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("password authentication failed", result.Error);
        Assert.DoesNotContain("Wr0ngPassw0rd", result.Error + result.Out);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Status_as_a_process_exits_3_when_behind_and_0_at_head()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database);

        Assert.Equal(3, (await cli.RunProcessAsync("status")).ExitCode);
        Assert.Equal(0, (await cli.RunProcessAsync("upgrade")).ExitCode);
        var status = await cli.RunProcessAsync("status");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("✅ No pending migrations", status.Out);
    }
}
