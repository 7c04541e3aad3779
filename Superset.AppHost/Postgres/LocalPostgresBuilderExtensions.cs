using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Settings;

namespace Superset.AppHost.Postgres;

internal static class LocalPostgresBuilderExtensions
{
    /// <summary>A check that hangs (a server that accepts and never answers) counts as failed, and is tried again.</summary>
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Adds the checkout's PostgreSQL server as a resource: used as it runs or started in the background (initdb the
    /// first time) when the resource initializes (see <see cref="LocalPostgresSubscriber"/>), on loopback only, with a
    /// generated password, and a health check so that WaitFor means "accepting connections".
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, string stateDirectory, PostgresBinaries binaries, PostgresSettings settings)
    {
        var password = builder.AddParameter($"{name}-password", () => LocalPostgresCluster.PasswordOf(stateDirectory), secret: true);
        var server = new LocalPostgresServerResource(
            name, stateDirectory, LocalPostgresCluster.PortOf(stateDirectory, settings.Port), binaries, settings, password.Resource);
        builder.Services.TryAddEventingSubscriber<LocalPostgresSubscriber>();

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => server.ConnectionStringFor("postgres"), name: healthCheckKey, timeout: HealthCheckTimeout);

        return builder.AddResource(server)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgreSQL",
                State = KnownResourceStates.NotStarted,
                Properties = [new("superset.postgres.mode", "local"), new("superset.postgres.lifetime", settings.Lifetime.ToString().ToLowerInvariant())],
            })
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>
    /// Adds a database, created when the server first accepts connections (as a copy of <paramref name="template"/>
    /// when one is given and exists), with its own health check.
    /// </summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> builder, [ResourceName] string name, string? databaseName = null, string? template = null,
        string? branch = null, IsolatedDatabase? isolated = null)
    {
        databaseName = isolated?.Name ?? databaseName ?? name;
        var server = builder.Resource;
        var database = new LocalPostgresDatabaseResource(name, databaseName, server, template, isolated);
        server.Databases.Add(database);

        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks()
            .AddNpgSql(_ => server.ConnectionStringFor(databaseName), name: healthCheckKey, timeout: HealthCheckTimeout);

        return builder.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties =
                [
                    new("superset.postgres.database", databaseName),
                    .. branch is null ? Array.Empty<ResourcePropertySnapshot>() : [new("superset.postgres.branch", branch)],
                    .. isolated is null ? Array.Empty<ResourcePropertySnapshot>() : [new("superset.postgres.test_database", isolated.StartsAs)],
                ],
            })
            .WithHealthCheck(healthCheckKey);
    }
}
