using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

[Trait("Category", "Stack")]
public sealed class StackStartupTests
{
    [Fact]
    public async Task A_failing_migration_stops_the_chain_and_keeps_what_was_applied_before_it()
    {
        // A broken database: someone created blog_posts by hand, so the third migration cannot create it.
        var broken = await PreparedDatabases.OnSharedServerAsync(version: null, sql: "CREATE TABLE blog_posts (id int)");

        await using var stack = await SupersetStack.StartIsolatedAsync($"--Postgres:TestDatabase={broken}");
        var worker = await stack.App.WaitForStateAsync("migrations", StackResources.Done);
        Assert.NotEqual(0, worker.Snapshot.ExitCode);

        var web = await stack.App.WaitForStateAsync("web", KnownResourceStates.FailedToStart, KnownResourceStates.Running);
        Assert.Equal(KnownResourceStates.FailedToStart, web.Snapshot.State?.Text);

        Assert.True(await stack.TableExistsAsync("user_preferences"));
        Assert.True(await stack.TableExistsAsync("my_new_table"));
        await using (var connection = await stack.OpenDatabaseAsync())
        {
            var applied = await History.AppliedVersionsAsync(connection);
            Assert.Equal([20261124100000L, 20261124110000L], applied);
        }

        Assert.Equal(1L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.events WHERE action = 'upgrade-failed' AND version = 20261124120000"));
    }
}
