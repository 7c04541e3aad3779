using System.Globalization;
using Superset.Migrations.LocalServer;

namespace Superset.AppHost.Postgres;

/// <summary>
/// PostgreSQL run from the machine's own binaries. Not a DCP executable: the server is started in the background by
/// pg_ctl (or found running) so that it can outlive the AppHost, and its state in the dashboard is published by
/// <see cref="LocalPostgresLifecycle"/>. Other resources reference it by connection string.
/// </summary>
internal sealed class LocalPostgresServerResource(string name, LocalPostgresCluster cluster, ParameterResource password, PostgresLifetime lifetime)
    : Resource(name), IResourceWithConnectionString, IResourceWithWaitSupport
{
    public LocalPostgresCluster Cluster { get; } = cluster;

    public ParameterResource PasswordParameter { get; } = password;

    public PostgresLifetime Lifetime { get; } = lifetime;

    /// <summary>Its databases, whose state follows the server's.</summary>
    public List<LocalPostgresDatabaseResource> Databases { get; } = [];

    // 127.0.0.1 rather than "localhost": the server listens on IPv4 loopback only.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={Cluster.Port.ToString(CultureInfo.InvariantCulture)};Username={LocalPostgresCluster.SuperUser};Password={PasswordParameter}");
}

/// <summary>A database of the local server; referencing it injects a connection string that names it.</summary>
/// <param name="Template">For a database per branch: the database it is first created as a copy of.</param>
internal sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent, string? template = null)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public LocalPostgresServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public string? Template { get; } = template;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
