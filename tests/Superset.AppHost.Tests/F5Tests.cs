using Superset.Migrations.Settings;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Superset.AppHost.Migrations;
using Superset.AppHost.Workers;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Tools;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>
/// The F5 a developer lives twenty times a day: nothing to apply, a server already running (the command line's, or the
/// last F5's), a second checkout beside the first, a port some other program holds.
/// </summary>
[Trait("Category", "Stack")]
public sealed class F5Tests
{
    private const long Head = 20261124120000;

    [Fact]
    public async Task With_nothing_pending_neither_step_starts_a_process_and_both_say_why()
    {
        // A test's stack as it comes: a copy of a database at head.
        await using var stack = await SupersetStack.StartIsolatedAsync();
        await stack.App.WaitForHealthyAsync("web");

        Assert.Equal(0, stack.App.Snapshot("migrations").ExitCode);
        Assert.Equal($"Not started: nothing pending: the database is at {Head} (add blog_posts table).", stack.App.Property("migrations", MigrationStepsGate.SkippedProperty));
        Assert.StartsWith("No backup needed: nothing pending", stack.App.Property("backup", MigrationStepsGate.SkippedProperty));
        Assert.Contains("Not started: nothing pending", await stack.App.ResourceLogAsync("migrations"));
        Assert.Contains("No backup needed: nothing pending", await stack.App.ResourceLogAsync("backup"));
        Assert.DoesNotContain(stack.Transitions.All, t => t.Resource is "migrations" or "backup" && t.State == KnownResourceStates.Running);
    }

    [Fact]
    public async Task A_fresh_database_is_migrated_without_a_backup_of_nothing_seeded_served_and_the_server_stops_with_a_session_stack()
    {
        var stateDirectory = TestPaths.NewTempDirectory("stack");
        string dataDirectory;
        await using (var stack = await SupersetStack.StartOnOwnServerAsync(stateDirectory, port: null, "--Postgres:Lifetime=session"))
        {
            var worker = await stack.App.WaitForStateAsync("migrations", StackResources.Done);
            Assert.Equal(0, worker.Snapshot.ExitCode);
            await stack.App.WaitForHealthyAsync("web");

            Assert.Equal("No backup: 3 migration(s) pending; the database has no application tables and no applied migrations: nothing to back up.",
                stack.App.Property("backup", MigrationStepsGate.SkippedProperty));
            Assert.Contains("nothing to back up", await stack.App.ResourceLogAsync("backup"));
            Assert.False(Directory.EnumerateFiles(stack.BackupDirectory).Any(), "a backup of an empty database was written");

            using var http = stack.App.CreateHttpClient("web");
            var status = await http.GetFromJsonAsync<JsonElement>("/api/migrations");
            Assert.Equal(Head, status.GetProperty("current").GetProperty("version").GetInt64());
            Assert.True(status.GetProperty("atHead").GetBoolean());
            Assert.Equal(LocalDevelopmentDatabase.DatabaseName, status.GetProperty("database").GetString());
            Assert.Equal(3L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
            foreach (var table in new[] { "user_preferences", "my_new_table", "blog_posts" })
            {
                Assert.True(await stack.TableExistsAsync(table), table);
            }

            // A page with content: the development seed data, added once after the upgrade.
            Assert.Contains("Seed data 'default': ran welcome-posts", await stack.App.ResourceLogAsync("migrations"));
            Assert.Contains("Welcome to Superset", await http.GetStringAsync("/api/blog-posts"));

            dataDirectory = stack.Cluster.DataDirectory;
            Assert.NotEmpty(ServerProcesses.Of(dataDirectory));
        }

        Assert.Empty(await ServerProcesses.WaitUntilNoneAsync(dataDirectory, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task The_AppHost_uses_the_server_the_command_line_started_and_leaves_it_running()
    {
        var stateDirectory = TestPaths.NewTempDirectory("stack");
        try
        {
            var started = await CheckoutCommandLine.JsonAsync(stateDirectory, "server", "start", "--json");
            var pid = started.GetProperty("pid").GetInt32();

            await using (var stack = await SupersetStack.StartOnOwnServerAsync(stateDirectory, port: null, "--Postgres:Lifetime=persistent"))
            {
                await stack.App.WaitForHealthyAsync("web");
                Assert.Equal("true", stack.App.Property("postgres", "superset.postgres.reused"));
                Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), stack.App.Property("postgres", "superset.postgres.pid"));
                Assert.StartsWith("the command line (pid ", stack.App.Property("postgres", "superset.postgres.started_by"));
                Assert.Contains($"Using the PostgreSQL server that runs already (pid {pid}, started by the command line", await stack.App.ResourceLogAsync("postgres"));
            }

            // The stack is gone; the server is not, and the command line still finds it as it left it.
            Assert.True(PostmasterPidFile.IsPostgresProcess(pid), "the persistent server stopped with the AppHost");
            var status = await CheckoutCommandLine.JsonAsync(stateDirectory, "server", "status", "--json");
            Assert.Equal("running", status.GetProperty("state").GetString());
            Assert.Equal(pid, status.GetProperty("pid").GetInt32());
            Assert.Equal("the command line", status.GetProperty("startedBy").GetString());

            var stopped = await CheckoutCommandLine.JsonAsync(stateDirectory, "server", "stop", "--json");
            Assert.Equal("stopped", stopped.GetProperty("state").GetString());
            Assert.False(PostmasterPidFile.IsPostgresProcess(pid));
        }
        finally
        {
            await CheckoutCommandLine.JsonAsync(stateDirectory, "server", "stop", "--json");
        }
    }

    [Fact]
    public async Task A_port_held_by_another_program_fails_the_postgres_resource_at_once_and_says_who_holds_it()
    {
        using var squatter = new TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        var stateDirectory = TestPaths.NewTempDirectory("stack");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var stack = await SupersetStack.StartOnOwnServerAsync(stateDirectory, port);
        var postgres = await stack.App.WaitForStateAsync("postgres", KnownResourceStates.FailedToStart, KnownResourceStates.Running);
        var web = await stack.App.WaitForStateAsync("web", KnownResourceStates.FailedToStart, KnownResourceStates.Running);

        Assert.Equal(KnownResourceStates.FailedToStart, postgres.Snapshot.State?.Text);
        Assert.Equal(KnownResourceStates.FailedToStart, web.Snapshot.State?.Text);
        Assert.Contains($"port {port} is in use by pid {Environment.ProcessId} (", await stack.App.ResourceLogAsync("postgres"));
        // Bounded by nothing but the AppHost's own start: no health check is left to wait on a server that is not ours.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the failure took {clock.Elapsed.TotalSeconds:0} s to show");
    }

    [Fact]
    public async Task Two_checkouts_stacks_run_side_by_side_each_on_its_own_ports()
    {
        var first = TestPaths.NewTempDirectory("stack");
        var second = TestPaths.NewTempDirectory("stack");

        // As two F5s would: the same launch profile, so the same dashboard and web ports, and no Postgres:Port.
        await using var one = AppHostProcess.Start(first);
        await one.WaitForHealthyWebAsync(StackResources.Timeout);
        await using var two = AppHostProcess.Start(second);
        await two.WaitForHealthyWebAsync(StackResources.Timeout);

        Assert.NotEqual(one.WebAddress, two.WebAddress);
        Assert.Contains("the dashboard of this checkout uses port", two.Output);
        var firstCluster = LocalPostgresCluster.TryOpenExisting(first, PostgresBinaries.Find()!)!;
        var secondCluster = LocalPostgresCluster.TryOpenExisting(second, PostgresBinaries.Find()!)!;
        Assert.NotEqual(firstCluster.Port, secondCluster.Port);

        // Each web app works on its own database: a post written through one is not seen by the other.
        using var http = new HttpClient();
        using var created = await http.PostAsJsonAsync(new Uri(one.WebAddress, "/api/blog-posts"), new { title = "only in the first checkout", content = "" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        Assert.Contains("only in the first checkout", await http.GetStringAsync(new Uri(one.WebAddress, "/api/blog-posts")));
        Assert.DoesNotContain("only in the first checkout", await http.GetStringAsync(new Uri(two.WebAddress, "/api/blog-posts")));
    }
}
