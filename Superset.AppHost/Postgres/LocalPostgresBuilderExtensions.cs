using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Superset.Migrations.LocalServer;

namespace Superset.AppHost.Postgres;

internal static class LocalPostgresBuilderExtensions
{
    /// <summary>
    /// Adds the machine's PostgreSQL as a resource: initdb once into the cluster's data directory, then the server
    /// in the foreground (stopped with the AppHost), on loopback only, with a generated password and a health check
    /// so that WaitFor means "accepting connections".
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, LocalPostgresCluster cluster)
    {
        var password = builder.AddParameter($"{name}-password", () => cluster.Password, secret: true);
        var server = new LocalPostgresServerResource(name, cluster, password.Resource);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await PrepareClusterAsync(cluster, logger, cancellationToken);

            // When the AppHost stops, a fast shutdown before DCP's SIGTERM (a smart shutdown, which waits for every
            // client) lets the server exit in a second instead of being killed after DCP's grace period.
            @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(cluster.RequestFastShutdown);
        });

        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var database in builder.Resources.OfType<LocalPostgresDatabaseResource>().Where(d => d.Parent == server))
            {
                // Aspire moves a container's child resources with it, not an executable's: say it here, so that
                // WaitFor(database) sees the database running (and its health check starts) or failed.
                string state;
                try
                {
                    if (await cluster.EnsureDatabaseAsync(database.DatabaseName, cancellationToken))
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

        builder.Eventing.Subscribe<ResourceStoppedEvent>(server, async (@event, _) =>
        {
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var database in builder.Resources.OfType<LocalPostgresDatabaseResource>().Where(d => d.Parent == server))
            {
                await notifications.PublishUpdateAsync(database, snapshot => snapshot with
                {
                    State = KnownResourceStates.Exited,
                    StopTimeStamp = DateTime.UtcNow,
                });
            }
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => HealthCheckConnectionString(cluster, "postgres"), name: healthCheckKey);

        return builder.AddResource(server)
            .WithArgs(cluster.ForegroundCommand().Arguments.ToArray<object>())
            .WithEndpoint(port: cluster.Port, targetPort: cluster.Port, name: LocalPostgresServerResource.PrimaryEndpointName, isProxied: false)
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Adds a database, created when the server first accepts connections, with its own health check.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> builder, [ResourceName] string name, string? databaseName = null)
    {
        databaseName ??= name;
        var database = new LocalPostgresDatabaseResource(name, databaseName, builder.Resource);

        var healthCheckKey = $"{name}_check";
        var cluster = builder.Resource.Cluster;
        builder.ApplicationBuilder.Services.AddHealthChecks()
            .AddNpgSql(_ => HealthCheckConnectionString(cluster, databaseName), name: healthCheckKey);

        return builder.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new("superset.postgres.database", databaseName)],
            })
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Unpooled: an idle pooled session would hold up the server's shutdown.</summary>
    private static string HealthCheckConnectionString(LocalPostgresCluster cluster, string database)
    {
        var connectionString = cluster.ConnectionString(database);
        connectionString.Pooling = false;
        return connectionString.ConnectionString;
    }

    private static async Task PrepareClusterAsync(LocalPostgresCluster cluster, ILogger logger, CancellationToken cancellationToken)
    {
        if (cluster.IsRunning())
        {
            // The command line starts this server on demand when the AppHost is not running; the AppHost runs it
            // in the foreground itself, so that it stops with the AppHost.
            logger.LogInformation("Stopping the server started earlier by the command line (pid {Pid})", cluster.ServerProcessId());
            await cluster.StopAsync(cancellationToken: cancellationToken);
        }

        if (!cluster.IsInitialized)
        {
            logger.LogInformation("Creating the PostgreSQL cluster in {DataDirectory} (initdb)", cluster.DataDirectory);
            await cluster.InitializeAsync(cancellationToken);
        }

        logger.LogInformation(
            "Local mode: PostgreSQL from {BinDirectory}, data in {DataDirectory}, listening on 127.0.0.1:{Port}{Account}",
            cluster.Binaries.BinDirectory, cluster.DataDirectory, cluster.Port,
            cluster.Account.UserName is { } user ? $", running as the '{user}' account" : string.Empty);
    }
}
