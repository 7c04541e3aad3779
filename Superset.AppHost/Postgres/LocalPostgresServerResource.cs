using System.Globalization;
using Npgsql;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Settings;

namespace Superset.AppHost.Postgres;

/// <summary>
/// PostgreSQL run from the machine's own binaries: the checkout's server. Not a DCP executable: the server is started
/// in the background by pg_ctl (or found running) so that it can outlive the AppHost, and its life in the dashboard is
/// <see cref="LocalPostgresSubscriber"/>'s. Nothing is laid out or started while the model is built: the port and the
/// password are read when they are first needed, and the cluster is opened when the resource initializes.
/// </summary>
internal sealed class LocalPostgresServerResource(
    string name, string stateDirectory, int port, PostgresBinaries binaries, PostgresSettings settings, ParameterResource password)
    : Resource(name), IResourceWithConnectionString, IResourceWithWaitSupport
{
    private readonly TaskCompletionSource<LocalPostgresCluster> _cluster = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string StateDirectory { get; } = stateDirectory;

    public int Port { get; } = port;

    public PostgresBinaries Binaries { get; } = binaries;

    public PostgresLifetime Lifetime { get; } = settings.Lifetime;

    /// <summary>A test's AppHost: its server is shared by the test process's stacks and stopped when it exits, unless it ran before.</summary>
    public bool ServesTests => Databases.Any(d => d.Isolated is not null);

    /// <summary><c>Postgres:DatabasePerBranch</c>, recorded in the state directory for the command line when the cluster opens.</summary>
    public bool DatabasePerBranch { get; } = settings.DatabasePerBranch;

    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>Its databases, whose state follows the server's.</summary>
    public List<LocalPostgresDatabaseResource> Databases { get; } = [];

    /// <summary>The cluster, once the resource has opened it (laid out on first use).</summary>
    public Task<LocalPostgresCluster> Cluster => _cluster.Task;

    public void Opened(LocalPostgresCluster cluster) => _cluster.TrySetResult(cluster);

    public void FailedToOpen(Exception exception) => _cluster.TrySetException(exception);

    /// <summary>A connection string for health checks and the AppHost's own reads: unpooled, short connect timeout.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = LocalPostgresCluster.SuperUser,
        Password = LocalPostgresCluster.PasswordOf(StateDirectory),
        Database = database,
        // Unpooled: an idle pooled session would hold up the server's shutdown. A server that accepts and never
        // answers fails the check in seconds, which is tried again.
        Pooling = false,
        Timeout = 5,
    }.ConnectionString;

    // 127.0.0.1 rather than "localhost": the server listens on IPv4 loopback only.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={LocalPostgresCluster.SuperUser};Password={PasswordParameter}");
}

/// <summary>A database of the local server; referencing it injects a connection string that names it.</summary>
/// <param name="Template">For a database per branch: the database it is first created as a copy of.</param>
/// <param name="Isolated">For a test's AppHost: the database is the test's own, made when the server runs and dropped when the AppHost stops.</param>
internal sealed class LocalPostgresDatabaseResource(
    string name, string databaseName, LocalPostgresServerResource parent, string? template = null, IsolatedDatabase? isolated = null)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public IsolatedDatabase? Isolated { get; } = isolated;

    public LocalPostgresServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public string? Template { get; } = template;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
