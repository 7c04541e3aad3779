using Superset.Migrations.Backup;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>
/// The commonest way a database gets ahead of the code: a migration applied on a feature branch, then F5 on main. In
/// Development the stack recovers by itself (a backup, then the other branch's migration reverted from its stored SQL);
/// anything it cannot revert, or a setting that says refuse, stops it as before, with nothing changed.
/// </summary>
[Trait("Category", "Stack")]
public sealed class BranchSwitchStackTests
{
    private static readonly string[] Done = StackResources.Done;

    /// <summary>A stack whose database a feature branch migrated (its rows and the branch's), started on main's code.</summary>
    private static async Task<SupersetStack> AfterTheFeatureBranchAsync(Superset.Migrations.Engine.MigrationSource branch, params string[] arguments)
    {
        var prepared = await PreparedDatabases.OnSharedServerAsync(FeatureBranch.Version,
            $"INSERT INTO my_new_table (name) VALUES ('kept'); INSERT INTO {FeatureBranch.Table} (body) VALUES ('branch work')", branch);
        return await SupersetStack.StartIsolatedAsync([$"--Postgres:TestDatabase={prepared}", .. arguments]);
    }

    [Fact]
    public async Task F5_after_a_feature_branch_backs_up_reverts_its_migration_and_serves_with_every_other_row_intact()
    {
        await using var stack = await AfterTheFeatureBranchAsync(FeatureBranch.Scriptable);
        var worker = await stack.App.WaitForStateAsync("migrations", Done);
        Assert.Equal(0, worker.Snapshot.ExitCode);
        await stack.App.WaitForHealthyAsync("web");

        Assert.False(await stack.TableExistsAsync(FeatureBranch.Table));
        Assert.Equal(1L, await stack.ScalarAsync<long>("SELECT count(*) FROM my_new_table WHERE name = 'kept'"));
        Assert.Equal(1L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.events WHERE action = 'revert-unknown'"));
        var log = await stack.App.ResourceLogAsync("migrations");
        Assert.Contains($"Reverted 1 migration(s) from another branch (unknown to this build), from the Down() SQL stored when they ran: {FeatureBranch.Version} (add feature notes); backup: ", log);

        // The backup step took one first, and it holds the other branch's work.
        var backup = Assert.Single(BackupFile.List(stack.BackupDirectory));
        Assert.Equal(FeatureBranch.Version, backup.Version);
        Assert.Contains(backup.Path, log);
    }

    [Fact]
    public async Task A_migration_whose_down_runs_code_is_refused_and_nothing_changes()
    {
        await using var stack = await AfterTheFeatureBranchAsync(FeatureBranch.WithCodeInDown);
        var worker = await stack.App.WaitForStateAsync("migrations", Done);
        var web = await stack.App.WaitForStateAsync("web", KnownResourceStates.FailedToStart, KnownResourceStates.Running);

        Assert.Equal(4, worker.Snapshot.ExitCode);
        Assert.Equal(KnownResourceStates.FailedToStart, web.Snapshot.State?.Text);
        Assert.Contains("cannot be reverted without its code", await stack.App.ResourceLogAsync("migrations"));
        Assert.True(await stack.TableExistsAsync(FeatureBranch.Table));
        Assert.Equal(4L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
    }

    [Fact]
    public async Task With_unknown_migrations_set_to_refuse_f5_refuses_as_before()
    {
        await using var stack = await AfterTheFeatureBranchAsync(FeatureBranch.Scriptable, "--Migrations:UnknownMigrations=refuse");
        var worker = await stack.App.WaitForStateAsync("migrations", Done);

        Assert.Equal(4, worker.Snapshot.ExitCode);
        Assert.Contains("revert them with 'manage_migrations.sh downgrade --unknown'", await stack.App.ResourceLogAsync("migrations"));
        Assert.True(await stack.TableExistsAsync(FeatureBranch.Table));
    }

    [Fact]
    public async Task With_a_database_per_branch_each_branch_has_its_own_copied_from_the_one_before_and_the_web_app_uses_it()
    {
        var stateDirectory = TestPaths.NewTempDirectory("stack");
        var port = TestPaths.FreePort();
        await PreparedDatabases.OnOwnServerAsync(stateDirectory, port, version: 20261124120000, "INSERT INTO my_new_table (name) VALUES ('the developer data')");

        foreach (var (branch, database) in new[] { ("feature/a", "superset_feature_a"), ("feature/b", "superset_feature_b") })
        {
            await using var stack = await SupersetStack.StartOnOwnServerAsync(stateDirectory, port, "--Postgres:DatabasePerBranch=true", $"--Postgres:Branch={branch}");
            await stack.App.WaitForHealthyAsync("web");

            Assert.Equal(database, stack.App.Property("superset", "superset.postgres.database"));
            Assert.Equal(branch, stack.App.Property("superset", "superset.postgres.branch"));
            using var http = stack.App.CreateHttpClient("web");
            var overview = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/migrations")).RootElement;
            Assert.Equal(database, overview.GetProperty("database").GetString());
            Assert.True(overview.GetProperty("atHead").GetBoolean());
            Assert.Contains($"Created database {database} for this branch, as a copy of", await stack.App.ResourceLogAsync("postgres"));
            Assert.Equal(1L, await stack.ScalarAsync<long>("SELECT count(*) FROM my_new_table WHERE name = 'the developer data'", database));
        }
    }
}
