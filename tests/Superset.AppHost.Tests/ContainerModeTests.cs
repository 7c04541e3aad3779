using System.Net.Http.Json;
using System.Text.Json;
using Superset.AppHost.Workers;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Settings;
using Superset.Migrations.Tools;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>
/// Container mode on a real engine (scripts/test.sh starts one and builds the image when none is there): F5 reaches a
/// healthy, migrated web; the command line reports on that same database with no setting; the container outlives the
/// AppHost and a warm F5 finds it; a second checkout beside it has a container, a volume and a port of its own.
/// </summary>
[Trait("Category", "Stack")]
[Trait("Engine", "Container")]
[Collection(nameof(ContainerModeCollection))]
public sealed class ContainerModeTests
{
    [Fact]
    public async Task F5_in_container_mode_the_command_line_on_its_database_a_warm_F5_and_a_second_checkout_beside_it()
    {
        var first = TestPaths.NewTempDirectory("container-stack");
        var second = TestPaths.NewTempDirectory("container-stack");
        var containers = new[] { first, second }.Select(s => CheckoutContainer.For(s, "")).ToArray();
        try
        {
            await using (var one = AppHostProcess.Start(first, "--Postgres:Mode=container", "--Postgres:Lifetime=persistent"))
            {
                await one.WaitForHealthyWebAsync(StackResources.Timeout);
                Assert.Contains("PostgreSQL mode: container", one.Output);

                // The command line, with no database setting, on the database F5 uses: the post written through the web app.
                using var http = new HttpClient();
                using var created = await http.PostAsJsonAsync(new Uri(one.WebAddress, "/api/blog-posts"), new { title = "through F5's container", content = "" });
                Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
                var status = await CheckoutCommandLine.JsonAsync(first, "status", "--json");
                Assert.Equal(0, status.GetProperty("pending").GetArrayLength());
                Assert.Equal(1, await CountPostsAsync(containers[0], "through F5's container"));

                var server = await CheckoutCommandLine.JsonAsync(first, "server", "status", "--json");
                Assert.Equal(containers[0].Name, server.GetProperty("container").GetString());
                Assert.Equal("running", server.GetProperty("state").GetString());

                // A second checkout beside it: its own container, volume and port, its own data.
                await using var two = AppHostProcess.Start(second, "--Postgres:Mode=container", "--Postgres:Lifetime=persistent");
                await two.WaitForHealthyWebAsync(StackResources.Timeout);
                Assert.NotEqual(containers[0].Port, containers[1].Port);
                Assert.DoesNotContain("through F5's container", await http.GetStringAsync(new Uri(two.WebAddress, "/api/blog-posts")));
                Assert.Equal(0, await CountPostsAsync(containers[1], "through F5's container"));
            }

            // The container outlived the AppHost; a warm F5 finds it, with the data.
            Assert.Equal("running", await StateAsync(containers[0].Name));
            await using (var again = AppHostProcess.Start(first, "--Postgres:Mode=container", "--Postgres:Lifetime=persistent"))
            {
                await again.WaitForHealthyWebAsync(StackResources.Timeout);
                using var http = new HttpClient();
                Assert.Contains("through F5's container", await http.GetStringAsync(new Uri(again.WebAddress, "/api/blog-posts")));
            }
        }
        finally
        {
            foreach (var container in containers)
            {
                await ToolRunner.RunAsync(ContainerEngine.Name, ["rm", "-f", container.Name]);
                await ToolRunner.RunAsync(ContainerEngine.Name, ["volume", "rm", "-f", container.Volume]);
            }
        }
    }

    [Fact]
    public async Task A_users_plain_test_in_container_mode_has_a_container_of_its_own_and_leaves_none_behind()
    {
        var checkout = TestPaths.NewTempDirectory("container-plain");
        var before = await ContainersAsync();

        var run = await PlainTestProgram.RunAsync(checkout, mode: "container");

        Assert.Equal(20261124120000L, run.Saw.GetProperty("version").GetInt64());
        Assert.DoesNotContain(CheckoutContainer.For(checkout, "").Name, await ContainersAsync());
        Assert.False(File.Exists(CheckoutContainer.RecordPath(checkout)), "a test's AppHost leaves no record for the command line");
        // DCP removes a session container when its AppHost stops: none is left that was not there before.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await ContainersAsync()).Except(before).Any() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        Assert.Empty((await ContainersAsync()).Except(before));
    }

    [Fact]
    public async Task A_host_port_taken_by_another_program_is_one_line_and_exit_1_not_a_crash()
    {
        using var other = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        other.Start();
        var port = ((System.Net.IPEndPoint)other.LocalEndpoint).Port;
        var state = TestPaths.NewTempDirectory("container-port");

        var result = await ToolRunner.RunAsync("dotnet",
            [AppHostProcess.Assembly(), "--Postgres:Mode=container", $"--Postgres:DataDirectory={state}", $"--Postgres:Port={port}"],
            workingDirectory: TestPaths.RepositoryRoot);

        Assert.Equal(1, result.ExitCode);
        var error = Assert.Single(result.StandardError.Trim().Split('\n'));
        Assert.StartsWith($"❌ ERROR: port {port} is in use by pid {Environment.ProcessId}", error);
        Assert.Contains("Postgres:Port", error);
        Assert.DoesNotContain(CheckoutContainer.For(state, "").Name, await ContainersAsync());
    }

    private static async Task<string[]> ContainersAsync() =>
        (await ToolRunner.RunAsync(ContainerEngine.Name, ["ps", "-a", "--format", "{{.Names}}"])).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<string> StateAsync(string container) =>
        (await ToolRunner.RunAsync(ContainerEngine.Name, ["inspect", "--format", "{{.State.Status}}", container])).StandardOutput.Trim();

    private static async Task<long> CountPostsAsync(CheckoutContainer container, string title)
    {
        await using var connection = new Npgsql.NpgsqlConnection(container.ConnectionString("superset").ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM blog_posts WHERE title = $1", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = title });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>
/// Container mode's stacks run alone: beside the other stacks on two cores, a cold container (initdb in the container)
/// once missed the 180 s bound in a CI run it had passed four times before.
/// </summary>
[CollectionDefinition(nameof(ContainerModeCollection), DisableParallelization = true)]
public sealed class ContainerModeCollection;
