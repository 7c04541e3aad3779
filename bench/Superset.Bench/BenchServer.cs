using System.Net;
using System.Net.Sockets;
using Npgsql;
using Superset.Migrations.LocalServer;

namespace Superset.Bench;

/// <summary>The benchmark's own PostgreSQL: a fresh cluster of the machine's binaries in a temporary folder.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private BenchServer(LocalPostgresCluster cluster, string stateDirectory)
    {
        Cluster = cluster;
        StateDirectory = stateDirectory;
    }

    public LocalPostgresCluster Cluster { get; }

    public string StateDirectory { get; }

    public PostgresBinaries Binaries => Cluster.Binaries;

    public static async Task<BenchServer> StartAsync()
    {
        var binaries = PostgresBinaries.Find() ?? throw new InvalidOperationException(PostgresBinaries.InstallHint);
        var stateDirectory = Path.Combine(Path.GetTempPath(), $"superset-bench-{Environment.ProcessId}");
        var cluster = await LocalPostgresCluster.OpenAsync(stateDirectory, binaries, FreePort());
        await cluster.EnsureRunningAsync("the benchmark");
        return new BenchServer(cluster, stateDirectory);
    }

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await ExecuteAsync("postgres", $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await ExecuteAsync("postgres", $"CREATE DATABASE \"{name}\"");
        return name;
    }

    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = await OpenAsync(database);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = await OpenAsync(database);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The URI the command line reads (<c>SQLALCHEMY_DATABASE_URI</c>).</summary>
    public string Uri(string database) =>
        $"postgresql://{LocalPostgresCluster.SuperUser}:{System.Uri.EscapeDataString(Cluster.Password)}@127.0.0.1:{Cluster.Port}/{database}";

    public string ConnectionString(string database) => Cluster.ConnectionString(database).ConnectionString;

    /// <summary>What psql and pg_dump need: host, port, user, database; the password goes in PGPASSWORD.</summary>
    public string[] LibpqArguments(string database) => ["-h", "127.0.0.1", "-p", Cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", LocalPostgresCluster.SuperUser, "-d", database];

    public Dictionary<string, string?> LibpqEnvironment() => new() { ["PGPASSWORD"] = Cluster.Password };

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAsync(immediate: true);
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (Cluster.IsRelocated)
            {
                Directory.Delete(Path.GetDirectoryName(Cluster.DataDirectory)!, recursive: true);
            }

            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(string database)
    {
        var builder = Cluster.ConnectionString(database);
        builder.Pooling = false;
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
