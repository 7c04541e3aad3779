using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Superset.Migrations.LocalServer;

namespace Superset.AppHost.Postgres;

internal static class LocalPostgresBuilderExtensions
{
    /// <summary>
    /// Adds the machine's PostgreSQL as a resource: the checkout's server, used as it runs or started in the background
    /// (initdb the first time), on loopback only, with a generated password, and a health check so that WaitFor means
    /// "accepting connections". See <see cref="LocalPostgresLifecycle"/>.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, LocalPostgresCluster cluster, PostgresLifetime lifetime)
    {
        var password = builder.AddParameter($"{name}-password", () => cluster.Password, secret: true);
        var server = new LocalPostgresServerResource(name, cluster, password.Resource, lifetime);

        builder.Eventing.Subscribe<InitializeResourceEvent>(server, (@event, cancellationToken) =>
        {
            var stopping = @event.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
            _ = Task.Run(() => new LocalPostgresLifecycle(server, @event.Services, @event.Logger).RunAsync(stopping), stopping);
            return Task.CompletedTask;
        });

        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var database in server.Databases)
            {
                // A custom resource's children are not moved through their states by Aspire: say it here, so that
                // WaitFor(database) sees the database running (and its health check starts) or failed.
                string state;
                try
                {
                    if (database.Template is not null)
                    {
                        if (await BranchDatabase.EnsureAsync(cluster, database.DatabaseName, database.Template, cancellationToken) is { } created)
                        {
                            logger.LogInformation("{Created}", created);
                        }
                    }
                    else if (await cluster.EnsureDatabaseAsync(database.DatabaseName, cancellationToken))
                    {
                        logger.LogInformation("Created database {Database}", database.DatabaseName);
                    }

                    state = KnownResourceStates.Running;
                }
                catch (Npgsql.NpgsqlException ex)
                {
                    logger.LogError("Cannot create database {Database}: {Reason}", database.DatabaseName, ex.Message);
                    state = KnownResourceStates.FailedToStart;
                }

                await notifications.PublishUpdateAsync(database, snapshot => snapshot with
                {
                    State = state,
                    StartTimeStamp = DateTime.UtcNow,
                });
            }
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => HealthCheckConnectionString(cluster, "postgres"), name: healthCheckKey, timeout: HealthCheckTimeout);

        return builder.AddResource(server)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgreSQL",
                State = KnownResourceStates.NotStarted,
                Properties = [new("superset.postgres.mode", "local"), new("superset.postgres.lifetime", lifetime.ToString().ToLowerInvariant())],
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
        string? branch = null)
    {
        databaseName ??= name;
        var database = new LocalPostgresDatabaseResource(name, databaseName, builder.Resource, template);
        builder.Resource.Databases.Add(database);

        var healthCheckKey = $"{name}_check";
        var cluster = builder.Resource.Cluster;
        builder.ApplicationBuilder.Services.AddHealthChecks()
            .AddNpgSql(_ => HealthCheckConnectionString(cluster, databaseName), name: healthCheckKey, timeout: HealthCheckTimeout);

        return builder.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = branch is null
                    ? [new("superset.postgres.database", databaseName)]
                    : [new("superset.postgres.database", databaseName), new("superset.postgres.branch", branch)],
            })
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>A check that hangs (a server that accepts and never answers) counts as failed, and is tried again.</summary>
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Unpooled: an idle pooled session would hold up the server's shutdown.</summary>
    private static string HealthCheckConnectionString(LocalPostgresCluster cluster, string database)
    {
        var connectionString = cluster.ConnectionString(database);
        connectionString.Pooling = false;
        connectionString.Timeout = 5;
        return connectionString.ConnectionString;
    }
}
