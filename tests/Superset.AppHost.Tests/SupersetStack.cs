using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Superset.Migrations.LocalServer;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>
/// The real AppHost in local mode, on a data directory and port of the test's own, so that tests neither see nor
/// disturb the developer's stack.
/// </summary>
public sealed class SupersetStack : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly List<(string Resource, string? State)> _transitions = [];
    private readonly CancellationTokenSource _stopWatching = new();

    /// <summary>Servers earlier test runs left behind (a killed test host), stopped before this run's first stack.</summary>
    private static readonly Lazy<Task> Reaped = new(AbandonedServers.ReapAsync);

    /// <summary>The key of the dashboard's telemetry API, new for every stack.</summary>
    private static readonly string DashboardApiKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    private SupersetStack(DistributedApplication app, string stateDirectory)
    {
        App = app;
        StateDirectory = stateDirectory;
        _ = RecordTransitionsAsync();
    }

    /// <summary>Every state each resource went through, in the order they were published.</summary>
    public IReadOnlyList<(string Resource, string? State)> Transitions
    {
        get
        {
            lock (_transitions)
            {
                return _transitions.ToArray();
            }
        }
    }

    /// <summary>Where in <see cref="Transitions"/> a resource first reached a state; -1 when it never did.</summary>
    public int FirstTransition(string resource, string state) => Transitions.ToList().FindIndex(t => t.Resource == resource && t.State == state);

    private async Task RecordTransitionsAsync()
    {
        try
        {
            await foreach (var update in App.ResourceNotifications.WatchAsync(_stopWatching.Token))
            {
                lock (_transitions)
                {
                    var last = _transitions.LastOrDefault(t => t.Resource == update.Resource.Name);
                    if (last.Resource is null || last.State != update.Snapshot.State?.Text)
                    {
                        _transitions.Add((update.Resource.Name, update.Snapshot.State?.Text));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public DistributedApplication App { get; }

    public string StateDirectory { get; }

    /// <summary>
    /// Builds and starts the AppHost; returns once DCP has created the resources (not when they are ready). Unless the
    /// arguments say otherwise, the server stops with the stack (<c>Postgres:Lifetime=session</c>: a test leaves no
    /// server behind) and backups go to the state directory, never to the checkout's <c>backups/</c>.
    /// </summary>
    public static async Task<SupersetStack> StartAsync(string stateDirectory, int? port, params string[] extraArguments)
    {
        string[] defaults =
        [
            .. Default(extraArguments, "--Postgres:Lifetime=", "session"),
            .. Default(extraArguments, "--Backup:Directory=", Path.Combine(stateDirectory, "backups")),
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Superset_AppHost>(
        [
            "--Postgres:Mode=local",
            $"--Postgres:DataDirectory={stateDirectory}",
            .. port is null ? Array.Empty<string>() : [$"--Postgres:Port={port}"],
            $"--AppHost:DashboardApiKey={DashboardApiKey}",
            .. defaults,
            .. extraArguments,
        ],
        // With the dashboard on, the services' OTLP exports land somewhere: without it they retry against a
        // closed port until the exporter's timeout, and every process takes ten seconds longer to exit.
        (options, _) => options.DisableDashboard = false);
        await Reaped.Value;
        AbandonedServers.ClaimStateDirectory(stateDirectory);
        var app = await builder.BuildAsync();
        var stack = new SupersetStack(app, stateDirectory);
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await app.StartAsync(timeout.Token);
            return stack;
        }
        catch
        {
            // Stops what did start, the server included (a test's stack runs it with Lifetime=session).
            await stack.DisposeAsync();
            throw;
        }
    }

    private static string[] Default(string[] arguments, string option, string value) =>
        arguments.Any(a => a.StartsWith(option, StringComparison.Ordinal)) ? [] : [option + value];

    /// <summary>What the resource wrote to its console log so far (what the dashboard shows for it).</summary>
    public async Task<string> ResourceLogAsync(string resource)
    {
        var lines = new List<string>();
        // By the resource, not its name: a DCP resource logs under its instance's name ("migrations-abcd1234").
        var model = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource);
        await foreach (var batch in App.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(model))
        {
            lines.AddRange(batch.Select(line => line.Content));
        }

        return string.Join('\n', lines);
    }

    /// <summary>The resource's current snapshot.</summary>
    public CustomResourceSnapshot Snapshot(string resource) =>
        App.ResourceNotifications.TryGetCurrentState(resource, out var state) ? state.Snapshot : throw new InvalidOperationException($"No resource {resource}.");

    /// <summary>A property of the resource's current snapshot, as text; null when it has none.</summary>
    public string? Property(string resource, string name) =>
        Snapshot(resource).Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString();

    public async Task<ResourceEvent> WaitForStateAsync(string resource, params string[] states)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        return await App.ResourceNotifications.WaitForResourceAsync(resource, e => states.Contains(e.Snapshot.State?.Text), timeout.Token);
    }

    public async Task WaitForHealthyAsync(string resource)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    /// <summary>The dashboard's login link (with its token), as the AppHost prints it.</summary>
    public string DashboardLoginUrl =>
        App.ResourceNotifications.TryGetCurrentState("aspire-dashboard", out var state)
            ? state.Snapshot.Urls.First(url => url.Name == "http").Url
            : throw new InvalidOperationException("The dashboard is not running.");

    /// <summary>
    /// The names of the spans the dashboard holds for a resource, read from its telemetry API: what a person sees on
    /// the dashboard's traces page, after the OTLP export from the resource's processes.
    /// </summary>
    public async Task<IReadOnlyList<string>> DashboardSpanNamesAsync(string resource)
    {
        using var http = new HttpClient { BaseAddress = new Uri(new Uri(DashboardLoginUrl).GetLeftPart(UriPartial.Authority)) };
        http.DefaultRequestHeaders.Add("x-api-key", DashboardApiKey);
        using var response = await http.GetAsync($"/api/telemetry/spans?resource={resource}");
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The dashboard answered {(int)response.StatusCode}: {body}");
        }

        using var document = System.Text.Json.JsonDocument.Parse(body);

        var names = new List<string>();
        Collect(document.RootElement);
        return names;

        // The response is OTLP JSON: every object with a spanId is a span.
        void Collect(System.Text.Json.JsonElement element)
        {
            if (element.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                if (element.TryGetProperty("spanId", out _) && element.TryGetProperty("name", out var name))
                {
                    names.Add(name.GetString()!);
                }

                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value);
                }
            }
            else if (element.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item);
                }
            }
        }
    }

    /// <summary>Polls the dashboard until the resource's spans satisfy <paramref name="condition"/> (exports are batched).</summary>
    public async Task<IReadOnlyList<string>> WaitForDashboardSpansAsync(string resource, Func<IReadOnlyList<string>, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var names = await DashboardSpanNamesAsync(resource);
            if (condition(names) || DateTime.UtcNow > deadline)
            {
                return names;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>The cluster the stack runs (its password and data directory), to inspect the database directly.</summary>
    public LocalPostgresCluster Cluster =>
        LocalPostgresCluster.TryOpenExisting(StateDirectory, PostgresBinaries.Find()!) ?? throw new InvalidOperationException("No cluster yet.");

    public async Task<NpgsqlConnection> OpenDatabaseAsync(string database = LocalDevelopmentDatabase.DatabaseName)
    {
        // Unpooled: the next stack of the same test may run a new server on the same port.
        var connectionString = Cluster.ConnectionString(database);
        connectionString.Pooling = false;
        var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<T?> ScalarAsync<T>(string sql, string database = LocalDevelopmentDatabase.DatabaseName)
    {
        await using var connection = await OpenDatabaseAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>Whether <c>public.&lt;table&gt;</c> exists in the stack's database: the one way tests ask.</summary>
    public Task<bool> TableExistsAsync(string table, string database = LocalDevelopmentDatabase.DatabaseName) =>
        ScalarAsync<bool>(Relations.ExistsSql(table), database);

    public async ValueTask DisposeAsync()
    {
        await _stopWatching.CancelAsync();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>
    /// Lays out a stack's database before the stack first runs: migrated up to <paramref name="version"/>, with
    /// <paramref name="sql"/> run after (rows, or a broken state), and the server stopped again.
    /// </summary>
    /// <param name="source">The migrations to apply (another branch's, say); the app's when null.</param>
    public static async Task PrepareDatabaseAsync(string stateDirectory, int port, long? version, string? sql = null, Superset.Migrations.Engine.MigrationSource? source = null)
    {
        AbandonedServers.ClaimStateDirectory(stateDirectory);
        var cluster = await LocalPostgresCluster.OpenAsync(stateDirectory, PostgresBinaries.Find()!, port);
        await cluster.EnsureRunningAsync("tests");
        try
        {
            await cluster.EnsureDatabaseAsync(LocalDevelopmentDatabase.DatabaseName);
            var connectionString = cluster.ConnectionString(LocalDevelopmentDatabase.DatabaseName);
            connectionString.Pooling = false;
            await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
            await connection.OpenAsync();
            if (version is not null)
            {
                var engine = new Superset.Migrations.Engine.MigrationEngine(source ?? Superset.Migrations.Engine.MigrationSource.App);
                await engine.UpgradeAsync(connection, new Superset.Migrations.Engine.UpgradeRequest(Target: version));
            }

            if (sql is not null)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    /// <summary>PostgreSQL processes whose command line names this data directory (ours, not another test's).</summary>
    public static IReadOnlyList<int> ServerProcessesFor(string dataDirectory)
    {
        var found = new List<int>();
        foreach (var entry in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains("postgres", StringComparison.Ordinal) && commandLine.Contains(dataDirectory, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    public static async Task<IReadOnlyList<int>> WaitUntilNoServerProcessAsync(string dataDirectory, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        IReadOnlyList<int> left;
        while ((left = ServerProcessesFor(dataDirectory)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        return left;
    }
}
