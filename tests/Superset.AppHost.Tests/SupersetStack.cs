using Npgsql;
using Superset.Migrations.LocalServer;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>
/// The real AppHost in local mode, started with Aspire's testing builder. Most tests take it as a user's test gets it: on
/// the run's shared server, in a database of its own (<see cref="StartIsolatedAsync"/>); the tests of the server's own
/// life run it on a server of their own, with the database F5 uses (<see cref="StartOnOwnServerAsync"/>). Either way
/// its backups go to a folder of the test's.
/// </summary>
public sealed class SupersetStack : IAsyncDisposable
{
    private SupersetStack(DistributedApplication app, string stateDirectory, string backupDirectory)
    {
        App = app;
        StateDirectory = stateDirectory;
        BackupDirectory = backupDirectory;
        Transitions = new ResourceTransitions(app);
        Dashboard = new DashboardTelemetry(app);
    }

    public DistributedApplication App { get; }

    /// <summary>The state directory of the server the stack runs on.</summary>
    public string StateDirectory { get; }

    public string BackupDirectory { get; }

    public ResourceTransitions Transitions { get; }

    public DashboardTelemetry Dashboard { get; }

    /// <summary>The database the stack's services use, as its resource says: <c>superset_test_…</c> for an isolated stack.</summary>
    public string DatabaseName => App.Property("superset", "superset.postgres.database") ?? throw new InvalidOperationException("The database resource names no database.");

    /// <summary>
    /// A stack as a user's plain test gets one, in a database of its own on the run's shared server, a copy of a migrated
    /// template unless <c>--Postgres:TestDatabase</c> says otherwise (<c>empty</c>, or a <see cref="PreparedDatabases"/> name).
    /// </summary>
    public static async Task<SupersetStack> StartIsolatedAsync(params string[] arguments)
    {
        var server = await TestPostgresServer.GetAsync();
        return await StartAsync(server.StateDirectory, server.Cluster.Port, arguments, dashboard: false);
    }

    /// <summary>
    /// An isolated stack with its dashboard, as F5 has it: for the tests that read the services' spans from it or open it
    /// in a browser. The others go without, as a user's test does (the testing builder's default), which stops in 1.3 s
    /// instead of 5.3: the web app's last telemetry export is not sent to a dashboard that stops before it.
    /// </summary>
    public static async Task<SupersetStack> StartIsolatedWithDashboardAsync(params string[] arguments)
    {
        var server = await TestPostgresServer.GetAsync();
        return await StartAsync(server.StateDirectory, server.Cluster.Port, arguments, dashboard: true);
    }

    /// <summary>
    /// A stack on a server of the test's own, with the database F5 uses (<c>Postgres:TestIsolation=off</c>); unless the
    /// arguments say otherwise the server stops with the stack (<c>Postgres:Lifetime=session</c>).
    /// </summary>
    public static async Task<SupersetStack> StartOnOwnServerAsync(string stateDirectory, int? port, params string[] arguments)
    {
        await Reaped.Value;
        return await StartAsync(stateDirectory, port, ["--Postgres:TestIsolation=off", "--Postgres:Lifetime=session", .. arguments], dashboard: false);
    }

    /// <summary>Servers of earlier test runs whose process is gone, stopped before this run's first own server.</summary>
    private static readonly Lazy<Task> Reaped = new(AbandonedServers.ReapAsync);

    private static async Task<SupersetStack> StartAsync(string stateDirectory, int? port, string[] arguments, bool dashboard)
    {
        const string backupOption = "--Backup:Directory=";
        var backupDirectory = arguments.LastOrDefault(a => a.StartsWith(backupOption, StringComparison.Ordinal))?[backupOption.Length..]
                              ?? TestPaths.NewTempDirectory("backups");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Superset_AppHost>(
        [
            "--Postgres:Mode=local",
            $"--Postgres:DataDirectory={stateDirectory}",
            .. port is null ? Array.Empty<string>() : [$"--Postgres:Port={port}"],
            $"--AppHost:DashboardApiKey={DashboardTelemetry.ApiKey}",
            backupOption + backupDirectory,
            // Last, so that they win over the defaults above.
            .. arguments,
        ],
        (options, _) => options.DisableDashboard = !dashboard);
        var app = await builder.BuildAsync();
        var stack = new SupersetStack(app, stateDirectory, backupDirectory);
        try
        {
            using var timeout = new CancellationTokenSource(StackResources.Timeout);
            await app.StartAsync(timeout.Token);
            return stack;
        }
        catch
        {
            // Stops what did start.
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>The cluster the stack runs (its password and data directory), to inspect its databases directly.</summary>
    public LocalPostgresCluster Cluster =>
        LocalPostgresCluster.TryOpenExisting(StateDirectory, PostgresBinaries.Find()!) ?? throw new InvalidOperationException("No cluster yet.");

    /// <summary>A session on the stack's database (or another of its server's); unpooled, since the next stack may run a new server on the port.</summary>
    public async Task<NpgsqlConnection> OpenDatabaseAsync(string? database = null)
    {
        var connectionString = Cluster.ConnectionString(database ?? DatabaseName);
        connectionString.Pooling = false;
        var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<T?> ScalarAsync<T>(string sql, string? database = null)
    {
        await using var connection = await OpenDatabaseAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>Whether <c>public.&lt;table&gt;</c> exists in the stack's database: the one way tests ask.</summary>
    public Task<bool> TableExistsAsync(string table, string? database = null) => ScalarAsync<bool>(Relations.ExistsSql(table), database);

    private bool _disposed;

    /// <summary>Stops the stack; again is nothing (a test may stop it early to look at what it left).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Transitions.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
