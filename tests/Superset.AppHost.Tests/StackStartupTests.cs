using System.Net.Http.Json;
using System.Text.Json;
using Superset.Migrations.LocalServer;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

[Collection(StackCollection.Name)]
[Trait("Category", "Stack")]
public sealed class StackStartupTests
{
    private static readonly string[] SeedTables = ["user_preferences", "my_new_table", "blog_posts"];

    [Fact]
    public async Task Fresh_stack_migrates_then_serves_and_a_restart_finds_nothing_pending()
    {
        var stateDirectory = TestPaths.NewTempDirectory("stack");
        var port = TestPaths.FreePort();
        string dataDirectory;

        await using (var stack = await SupersetStack.StartAsync(stateDirectory, port))
        {
            await stack.WaitForHealthyAsync("postgres");
            var worker = await stack.WaitForStateAsync("migrations", KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart);
            Assert.Equal(0, worker.Snapshot.ExitCode);
            await stack.WaitForHealthyAsync("web");

            using var http = stack.App.CreateHttpClient("web");
            var status = await http.GetFromJsonAsync<JsonElement>("/api/migrations");
            Assert.Equal(20261124120000L, status.GetProperty("current").GetProperty("version").GetInt64());
            Assert.True(status.GetProperty("atHead").GetBoolean());
            foreach (var table in SeedTables)
            {
                Assert.True(await stack.TableExistsAsync(table), table);
            }

            dataDirectory = stack.Cluster.DataDirectory;
            Assert.NotEmpty(SupersetStack.ServerProcessesFor(dataDirectory));
        }

        Assert.Empty(await SupersetStack.WaitUntilNoServerProcessAsync(dataDirectory, TimeSpan.FromSeconds(15)));

        // The same data again: the worker finds nothing to do, and the web app is healthy again.
        await using (var stack = await SupersetStack.StartAsync(stateDirectory, port))
        {
            var worker = await stack.WaitForStateAsync("migrations", KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart);
            Assert.Equal(0, worker.Snapshot.ExitCode);
            await stack.WaitForHealthyAsync("web");

            Assert.Equal(3L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
            Assert.Equal(1L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.events WHERE action = 'upgrade'"));
        }

        Assert.Empty(await SupersetStack.WaitUntilNoServerProcessAsync(dataDirectory, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task A_failing_migration_stops_the_chain_and_keeps_what_was_applied_before_it()
    {
        var stateDirectory = TestPaths.NewTempDirectory("stack");
        var port = TestPaths.FreePort();

        // A broken database: someone created blog_posts by hand, so the third migration cannot create it.
        await SupersetStack.PrepareDatabaseAsync(stateDirectory, port, version: null, sql: "CREATE TABLE blog_posts (id int)");

        await using var stack = await SupersetStack.StartAsync(stateDirectory, port);
        var worker = await stack.WaitForStateAsync("migrations", KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart);
        Assert.NotEqual(0, worker.Snapshot.ExitCode);

        var web = await stack.WaitForStateAsync("web", KnownResourceStates.FailedToStart, KnownResourceStates.Running);
        Assert.Equal(KnownResourceStates.FailedToStart, web.Snapshot.State?.Text);

        Assert.True(await stack.TableExistsAsync("user_preferences"));
        Assert.True(await stack.TableExistsAsync("my_new_table"));
        var versions = await ReadVersionsAsync(stack);
        Assert.Equal([20261124100000L, 20261124110000L], versions);
        Assert.Equal(1L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.events WHERE action = 'upgrade-failed' AND version = 20261124120000"));
    }

    private static async Task<long[]> ReadVersionsAsync(SupersetStack stack)
    {
        await using var connection = await stack.OpenDatabaseAsync();
        return await History.AppliedVersionsAsync(connection);
    }
}
