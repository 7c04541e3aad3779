using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.LocalServer;

namespace Superset.Tests.Shared;

/// <summary>
/// A real PostgreSQL server for the whole test run, from the machine's binaries (the same cluster code the AppHost
/// and the command line use), started once and stopped when the test process exits. Each test gets its own database.
/// </summary>
public sealed class TestPostgresServer
{
    private static readonly Lazy<Task<TestPostgresServer>> Shared = new(StartAsync);

    private TestPostgresServer(LocalPostgresCluster cluster, string stateDirectory)
    {
        Cluster = cluster;
        StateDirectory = stateDirectory;
        _migratedTemplate = new(MigrateTemplateAsync);
    }

    public LocalPostgresCluster Cluster { get; }

    public string StateDirectory { get; }

    public static Task<TestPostgresServer> GetAsync() => Shared.Value;

    /// <summary>A new, empty database; dropped (sessions and all) when disposed.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = NewName();
        await DatabaseCreator.EnsureAsync(ConnectionString("postgres"), name);
        return new TestDatabase(this, name);
    }

    /// <summary>
    /// A new database with every app migration applied, copied from a template migrated once per test run
    /// (<c>CREATE DATABASE … TEMPLATE</c>, a file copy) instead of migrating each time.
    /// </summary>
    public async Task<TestDatabase> CreateMigratedDatabaseAsync()
    {
        var template = await _migratedTemplate.Value;
        var name = NewName();
        await using var connection = await OpenAsync("postgres");
        await SqlCommands.ExecuteAsync(connection, $"CREATE DATABASE {Identifiers.Quote(name)} TEMPLATE {Identifiers.Quote(template)}");
        return new TestDatabase(this, name);
    }

    private readonly Lazy<Task<string>> _migratedTemplate;

    private static string NewName() => $"t_{Guid.NewGuid():N}"[..30];

    private async Task<string> MigrateTemplateAsync()
    {
        var name = $"template_head_{Environment.ProcessId}";
        await DatabaseCreator.EnsureAsync(ConnectionString("postgres"), name);

        // Unpooled: CREATE DATABASE … TEMPLATE refuses a template anyone is connected to.
        var connectionString = ConnectionString(name);
        connectionString.Pooling = false;
        await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync();
        var engine = new Superset.Migrations.Engine.MigrationEngine(Superset.Migrations.Engine.MigrationSource.App,
            new Superset.Migrations.Engine.MigrationEngineOptions { Actor = "tests (template)" });
        await engine.UpgradeAsync(connection, new Superset.Migrations.Engine.UpgradeRequest());
        return name;
    }

    public NpgsqlConnectionStringBuilder ConnectionString(string database) => Cluster.ConnectionString(database);

    public async Task<NpgsqlConnection> OpenAsync(string database)
    {
        var connection = new NpgsqlConnection(ConnectionString(database).ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<TestPostgresServer> StartAsync()
    {
        var binaries = PostgresBinaries.Find()
            ?? throw new InvalidOperationException($"The tests need a real PostgreSQL server. {PostgresBinaries.InstallHint}");
        await AbandonedServers.ReapAsync();

        var stateDirectory = TestPaths.NewTempDirectory("pg");
        var cluster = await LocalPostgresCluster.OpenAsync(stateDirectory, binaries, TestPaths.FreePort());
        await cluster.EnsureRunningAsync("tests");

        var server = new TestPostgresServer(cluster, stateDirectory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    private void Stop()
    {
        try
        {
            Cluster.StopAsync(immediate: true).GetAwaiter().GetResult();
            Directory.Delete(StateDirectory, recursive: true);
            if (Cluster.IsRelocated)
            {
                Directory.Delete(Path.GetDirectoryName(Cluster.DataDirectory)!, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine($"Could not clean up the test server in {StateDirectory}: {ex.Message}");
        }
    }
}

/// <summary>A database of its own for one test.</summary>
public sealed class TestDatabase(TestPostgresServer server, string name) : IAsyncDisposable
{
    public string Name { get; } = name;

    public TestPostgresServer Server { get; } = server;

    public string ConnectionString => Server.ConnectionString(Name).ConnectionString;

    public Task<NpgsqlConnection> OpenAsync() => Server.OpenAsync(Name);

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>Runs a SQL script with psql as an operator would (stop at the first error); the result says how it went.</summary>
    public async Task<Superset.Migrations.Tools.ToolResult> RunPsqlAsync(string script)
    {
        var file = Path.Combine(TestPaths.NewTempDirectory("sql"), "script.sql");
        await File.WriteAllTextAsync(file, script);
        var connection = Server.ConnectionString(Name);
        return await Superset.Migrations.Tools.ToolRunner.RunAsync(Server.Cluster.Binaries.Psql,
            ["--no-psqlrc", "--set", "ON_ERROR_STOP=1", "--quiet", "--host", connection.Host!,
             "--port", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--username", connection.Username!, "--dbname", Name, "--file", file],
            new Dictionary<string, string?> { ["PGPASSWORD"] = connection.Password! });
    }

    /// <summary>Whether <c>public.&lt;table&gt;</c> exists: the one way tests ask.</summary>
    public Task<bool> TableExistsAsync(string table) => ScalarAsync<bool>(Relations.ExistsSql(table));

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = await Server.OpenAsync("postgres");
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Identifiers.Quote(Name)} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
