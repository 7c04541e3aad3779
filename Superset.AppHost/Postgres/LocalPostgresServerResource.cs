using Superset.Migrations.LocalServer;

namespace Superset.AppHost.Postgres;

/// <summary>
/// PostgreSQL run from the machine's own binaries as an executable resource: the shape of microsoft/aspire#6673,
/// an <see cref="ExecutableResource"/> that other resources reference by connection string.
/// </summary>
internal sealed class LocalPostgresServerResource(string name, LocalPostgresCluster cluster, ParameterResource password)
    : ExecutableResource(name, cluster.ForegroundCommand().FileName, Path.GetDirectoryName(cluster.DataDirectory)!),
      IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";

    public LocalPostgresCluster Cluster { get; } = cluster;

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    // 127.0.0.1 rather than "localhost": the server listens on IPv4 loopback only.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={LocalPostgresCluster.SuperUser};Password={PasswordParameter}");
}

/// <summary>A database of the local server; referencing it injects a connection string that names it.</summary>
internal sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public LocalPostgresServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
