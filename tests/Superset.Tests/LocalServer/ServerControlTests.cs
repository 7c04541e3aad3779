using Superset.Migrations.Settings;
using Superset.Tests.Cli;
using System.Net;
using System.Net.Sockets;
using Superset.Migrations.LocalServer;
using Superset.Tests.Shared;

namespace Superset.Tests.LocalServer;

/// <summary>
/// A checkout's own server, as the AppHost and the command line share it: started once by whoever comes first, found
/// by everyone after, and everything that would make a start hang or fail obscurely said in one line first.
/// </summary>
[Trait("Category", "Db")]
public sealed class ServerControlTests
{
    [Fact]
    public async Task Four_commands_started_together_on_a_fresh_checkout_share_one_server_started_once()
    {
        var stateDirectory = NewStateDirectory();
        try
        {
            var cli = new CliRunner(databaseUri: "");
            var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => cli.RunProcessAsync(Variables(stateDirectory), "server", "start", "--json")));

            // One initdb and one start; the other three waited for it and found the server running.
            Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.ToString()));
            Assert.Equal(["initialized", "reused", "reused", "reused"], runs.Select(run => run.Json.GetProperty("action").GetString()).Order());
            var pid = Assert.Single(runs.Select(run => run.Json.GetProperty("pid").GetInt32()).Distinct());
            Assert.True(PostmasterPidFile.IsPostgresProcess(pid));
        }
        finally
        {
            await StopAsync(stateDirectory);
        }
    }

    /// <summary>
    /// Four different first-use commands at once, again and again: whoever comes first lays out the cluster and creates
    /// the database and the engine's tables, and every twin that does the same at the same moment finds them made.
    /// Before, now and then: "23505: duplicate key value violates unique constraint pg_database_datname_index".
    /// </summary>
    [Fact]
    public async Task Four_first_use_commands_at_once_never_trip_over_each_other_creating_what_is_missing()
    {
        var stateDirectory = NewStateDirectory();
        var variables = new Dictionary<string, string?>(Variables(stateDirectory)) { [SettingsReader.Variable(PostgresSettings.Keys.Port)] = TestPaths.FreePort().ToString() };
        var cli = new CliRunner(databaseUri: "");
        try
        {
            for (var round = 0; round < 6; round++)
            {
                if (round > 0)
                {
                    // The cluster stays; the database goes, so that the next round creates it again, four at a time.
                    var cluster = LocalPostgresCluster.TryOpenExisting(stateDirectory, Binaries)!;
                    await using var admin = new Npgsql.NpgsqlConnection(cluster.ConnectionString("postgres").ConnectionString + ";Pooling=false");
                    await admin.OpenAsync();
                    await using var drop = new Npgsql.NpgsqlCommand("DROP DATABASE superset WITH (FORCE)", admin);
                    await drop.ExecuteNonQueryAsync();
                }

                var runs = await Task.WhenAll(
                    new[] { new[] { "init" }, ["upgrade", "--no-backup"], ["status"], ["history"] }.Select(command => cli.RunProcessAsync(variables, command)));

                Assert.All(runs, run => Assert.True(run.ExitCode is 0 or 3, $"round {round}: {run}"));
                Assert.All(runs, run => Assert.DoesNotContain("23505", run.Error));
            }
        }
        finally
        {
            await StopAsync(stateDirectory);
        }
    }

    [Fact]
    public async Task A_stale_postmaster_pid_naming_another_program_is_removed_and_the_server_starts()
    {
        var cluster = await NewClusterAsync();
        try
        {
            await cluster.InitializeAsync();
            // After a restart the old pid can belong to anything: here, this test process.
            await File.WriteAllTextAsync(Path.Combine(cluster.DataDirectory, PostmasterPidFile.FileName),
                $"{Environment.ProcessId}\n{cluster.DataDirectory}\n1700000000\n{cluster.Port}\n\n127.0.0.1\n  1234  5678\nready   \n");
            var progress = new List<string>();

            var status = await cluster.EnsureRunningAsync("a test", progress.Add);

            Assert.Equal(ServerAction.Started, status.Action);
            Assert.NotEqual(Environment.ProcessId, status.Pid);
            Assert.True(PostmasterPidFile.IsPostgresProcess(status.Pid!.Value));
            Assert.Contains(progress, line => line.StartsWith($"Removed a stale postmaster.pid (pid {Environment.ProcessId} ", StringComparison.Ordinal));
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    [Fact]
    public async Task A_data_directory_of_another_major_version_is_refused_with_what_to_do()
    {
        var cluster = await NewClusterAsync();
        await cluster.InitializeAsync();
        var major = await cluster.Binaries.GetMajorVersionAsync();
        await File.WriteAllTextAsync(Path.Combine(cluster.DataDirectory, "PG_VERSION"), $"{major - 1}\n");

        var error = await Assert.ThrowsAsync<LocalServerException>(() => cluster.EnsureRunningAsync("a test"));

        Assert.Contains($"was created by PostgreSQL {major - 1}, but the binaries in {cluster.Binaries.BinDirectory} are PostgreSQL {major}", error.Message);
        Assert.Contains("Postgres:BinDirectory", error.Message);
        Assert.False(cluster.IsRunning());
    }

    [Fact]
    public async Task A_port_another_program_holds_is_refused_at_once_naming_the_program()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var cluster = await NewClusterAsync(port);

        var error = await Assert.ThrowsAsync<LocalServerException>(() => cluster.EnsureRunningAsync("a test"));

        Assert.Contains($"port {port} is in use by pid {Environment.ProcessId} (", error.Message);
        Assert.Contains("Postgres:Port", error.Message);
        Assert.False(cluster.IsRunning());
    }

    [Fact]
    public async Task Each_state_directory_gets_a_port_of_its_own_that_stays_the_same()
    {
        var first = NewStateDirectory();
        var second = NewStateDirectory();

        var firstCluster = await LocalPostgresCluster.OpenAsync(first, Binaries);
        var secondCluster = await LocalPostgresCluster.OpenAsync(second, Binaries);
        var firstAgain = await LocalPostgresCluster.OpenAsync(first, Binaries);

        Assert.NotEqual(firstCluster.Port, secondCluster.Port);
        Assert.Equal(firstCluster.Port, firstAgain.Port);
        Assert.InRange(firstCluster.Port, ClusterLayout.FirstPort, ClusterLayout.FirstPort + ClusterLayout.PortRange - 1);
        Assert.Contains($"port={firstCluster.Port}", await File.ReadAllTextAsync(Path.Combine(first, "cluster.conf")));
    }

    [Fact]
    public async Task Server_status_and_stop_say_where_it_is_and_who_started_it()
    {
        var stateDirectory = NewStateDirectory();
        var cli = new CliRunner(databaseUri: "");
        var variables = Variables(stateDirectory);
        try
        {
            var before = await cli.RunProcessAsync(variables, "server", "status");
            Assert.Equal(0, before.ExitCode);
            Assert.Contains("Not running", before.Out);

            // A command that needs the database starts the server, says so, and leaves it running.
            var status = await cli.RunProcessAsync(variables, "status");
            Assert.Equal(3, status.ExitCode);
            Assert.Contains("started its server (it keeps running: 'manage_migrations.sh server stop' stops it)", status.Error);

            var running = await cli.RunProcessAsync(variables, "server", "status");
            Assert.Equal(0, running.ExitCode);
            Assert.Contains("✅ Running", running.Out);
            Assert.Matches(@"Started by:\s+the command line \(pid \d+\) at ", running.Out);
            Assert.Contains("Process:        pid ", running.Out);

            var stopped = await cli.RunProcessAsync(variables, "server", "stop");
            Assert.Equal(0, stopped.ExitCode);
            Assert.Contains("✅ Stopped the local PostgreSQL server (pid ", stopped.Out);
            Assert.Contains("Not running: nothing to stop", (await cli.RunProcessAsync(variables, "server", "stop")).Out);
        }
        finally
        {
            await StopAsync(stateDirectory);
        }
    }

    /// <summary>No database configured: the command line works on the local server of this state directory.</summary>
    private static Dictionary<string, string?> Variables(string stateDirectory) =>
        new() { [SettingsReader.Variable(PostgresSettings.Keys.DataDirectory)] = stateDirectory };

    private static PostgresBinaries Binaries => PostgresBinaries.Find() ?? throw new InvalidOperationException(PostgresBinaries.InstallHint);

    private static string NewStateDirectory()
    {
        var directory = TestPaths.NewTempDirectory("local");
        return directory;
    }

    private static Task<LocalPostgresCluster> NewClusterAsync(int? port = null) => LocalPostgresCluster.OpenAsync(NewStateDirectory(), Binaries, port);

    private static async Task StopAsync(string stateDirectory)
    {
        if (LocalPostgresCluster.TryOpenExisting(stateDirectory, Binaries) is { } cluster)
        {
            await cluster.StopAsync();
        }
    }
}
