using System.Net;
using System.Net.Sockets;
using Superset.Migrations.LocalServer;
using Superset.Tests.Shared;

namespace Superset.Tests.LocalServer;

/// <summary>What the local server's files and ports say, read without a server.</summary>
[Trait("Category", "Unit")]
public sealed class LocalServerFilesTests
{
    [Fact]
    public void A_port_held_by_this_process_names_it()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.False(PortHolder.IsFree(port));
        Assert.StartsWith($"port {port} is in use by pid {Environment.ProcessId} (", PortHolder.Describe(port));
    }

    [Fact]
    public void A_free_port_is_free()
    {
        Assert.True(PortHolder.IsFree(TestPaths.FreePort()));
    }

    [Fact]
    public void A_postmaster_pid_file_gives_the_pid_and_port_and_is_stale_when_the_pid_is_not_postgres()
    {
        var directory = TestPaths.NewTempDirectory("pidfile");
        File.WriteAllText(Path.Combine(directory, PostmasterPidFile.FileName), $"{Environment.ProcessId}\n{directory}\n1700000000\n54321\n\n127.0.0.1\n  1  2\nready   \n");

        var file = PostmasterPidFile.Read(directory)!;

        Assert.Equal(Environment.ProcessId, file.Pid);
        Assert.Equal(54321, file.Port);
        Assert.Equal("ready", file.Status);
        Assert.False(file.IsLive); // this process is dotnet, not PostgreSQL
    }

    [Fact]
    public void No_or_a_broken_pid_file_is_no_server()
    {
        var directory = TestPaths.NewTempDirectory("pidfile");
        Assert.Null(PostmasterPidFile.Read(directory));

        File.WriteAllText(Path.Combine(directory, PostmasterPidFile.FileName), "not a pid\n");
        Assert.Null(PostmasterPidFile.Read(directory));
    }

    [Fact]
    public void Each_state_directory_has_a_port_of_its_own_in_the_range()
    {
        var ports = Enumerable.Range(0, 20).Select(i => LocalPostgresCluster.PortFor($"/src/checkout-{i}/.data/postgres")).ToArray();

        Assert.All(ports, port => Assert.InRange(port, ClusterLayout.FirstPort, ClusterLayout.FirstPort + ClusterLayout.PortRange - 1));
        Assert.True(ports.Distinct().Count() >= 18, string.Join(", ", ports));
        Assert.Equal(LocalPostgresCluster.PortFor("/src/checkout-0/.data/postgres"), ports[0]);
    }

    [Fact]
    public void Who_started_a_server_is_read_back_only_for_that_server()
    {
        var directory = TestPaths.NewTempDirectory("started-by");
        new ServerStartRecord("the AppHost", 4242, new DateTimeOffset(2026, 11, 25, 9, 30, 5, TimeSpan.Zero), ServerPid: 777).Save(directory);

        var record = ServerStartRecord.Read(directory, 777)!;

        Assert.Equal("the AppHost", record.StartedBy);
        Assert.Equal(4242, record.StarterPid);
        Assert.Null(ServerStartRecord.Read(directory, 778));
    }
}
