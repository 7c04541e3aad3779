using System.Globalization;
using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Superset.Migrations.Connection;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Settings;

namespace Superset.AppHost.Postgres;

/// <summary>
/// The local server's life in the AppHost, as Aspire's own custom resources live theirs: on initialization it publishes
/// <see cref="BeforeResourceStartedEvent"/> (so that what it waits for is waited for), opens the checkout's cluster and
/// uses the server that runs (the command line's, or the last F5's) or starts one in the background, says which,
/// creates its databases, shows its log and notices when it exits; it stops it with the AppHost only under
/// <c>Postgres:Lifetime=session</c>. Every step is bounded, and a server that cannot be used fails the resource (and its
/// databases, and what waits on them) at once with one line saying why.
/// </summary>
internal sealed class LocalPostgresSubscriber(IHostApplicationLifetime lifetime, ResourceNotificationService notifications, ResourceLoggerService loggers)
    : IDistributedApplicationEventingSubscriber
{
    /// <summary>How long a server that runs may take to accept this checkout's password (it is starting up, say).</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        if (executionContext.IsRunMode)
        {
            eventing.Subscribe<InitializeResourceEvent>((@event, _) =>
                @event.Resource is LocalPostgresServerResource server ? RunAsync(server, @event) : Task.CompletedTask);
        }

        return Task.CompletedTask;
    }

    private async Task RunAsync(LocalPostgresServerResource server, InitializeResourceEvent initialize)
    {
        // Published without waiting for its handlers, but called in place: nothing of ours should hold up the others.
        await Task.Yield();
        var stopping = lifetime.ApplicationStopping;
        var logger = loggers.GetLogger(server);
        try
        {
            await initialize.Eventing.PublishAsync(new BeforeResourceStartedEvent(server, initialize.Services), stopping);
            await notifications.PublishUpdateAsync(server, s => s with { State = KnownResourceStates.Starting });

            var cluster = await LocalPostgresCluster.OpenAsync(server.StateDirectory, server.Binaries, server.Port, stopping);
            server.Opened(cluster);
            BranchDatabase.SaveChoice(cluster.StateDirectory, server.DatabasePerBranch);
            var log = new ServerLogTail(cluster.LogFile, logger);
            log.SkipToEnd();
            var status = await cluster.EnsureRunningAsync(server.ServesTests ? TestServerOwnership.Starter : "the AppHost", line => logger.LogInformation("{Step}", line), stopping);
            await WaitUntilItAcceptsUsAsync(cluster, stopping);
            if (status.Action == ServerAction.Reused)
            {
                log.SkipToEnd();
            }

            LogStatus(logger, server, cluster, status);
            if (server.ServesTests)
            {
                // Shared by the test process's stacks, which may run side by side: it goes when the process does.
                TestServerOwnership.Claim(cluster, status, logger);
            }
            else if (server.Lifetime == PostgresLifetime.Session)
            {
                // Registered before anything can stop the AppHost, and run while it stops: the server goes with it.
                stopping.Register(() => StopWithTheAppHost(cluster, logger));
            }

            await notifications.PublishUpdateAsync(server, s => s with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = status.StartedBy?.StartedAt.UtcDateTime ?? DateTime.UtcNow,
                Properties = s.Properties.With("superset.postgres.pid", status.Pid!.Value.ToString(CultureInfo.InvariantCulture))
                    .With("superset.postgres.port", cluster.Port.ToString(CultureInfo.InvariantCulture))
                    .With("superset.postgres.data_directory", cluster.DataDirectory)
                    .With("superset.postgres.started_by", status.StartedBy?.ToString() ?? "unknown")
                    .With("superset.postgres.reused", status.Action == ServerAction.Reused ? "true" : "false")
                    .With("superset.postgres.lifetime", server.Lifetime.ToString().ToLowerInvariant()),
                Urls = [new UrlSnapshot("tcp", $"tcp://127.0.0.1:{cluster.Port}", IsInternal: false)],
            });

            await CreateDatabasesAsync(server, cluster, logger, stopping);
            await WatchAsync(server, status.Pid!.Value, log, logger, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
        catch (Exception ex) when (ex is LocalServerException or DatabaseUnreachableException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            server.FailedToOpen(ex);
            logger.LogError("{Reason}", ex.Message);
            await PublishExitedAsync(server, KnownResourceStates.FailedToStart);
        }
    }

    private static void LogStatus(ILogger logger, LocalPostgresServerResource server, LocalPostgresCluster cluster, ServerStatus status)
    {
        var account = cluster.AccountName is { } user ? $", running as the '{user}' account" : string.Empty;
        if (status.Action == ServerAction.Reused)
        {
            logger.LogInformation(
                "Using the PostgreSQL server that runs already (pid {Pid}, started by {StartedBy}) on 127.0.0.1:{Port}, data in {DataDirectory}{Account}",
                status.Pid, status.StartedBy?.ToString() ?? "someone else", cluster.Port, cluster.DataDirectory, account);
        }
        else
        {
            logger.LogInformation("Started PostgreSQL (pid {Pid}) from {BinDirectory} on 127.0.0.1:{Port}, data in {DataDirectory}{Account}",
                status.Pid, cluster.Binaries.BinDirectory, cluster.Port, cluster.DataDirectory, account);
        }

        if (!server.ServesTests)
        {
            logger.LogInformation(server.Lifetime == PostgresLifetime.Persistent
                ? "It keeps running when the AppHost stops (Postgres:Lifetime=persistent); 'scripts/manage_migrations.sh server stop' stops it"
                : "It stops with the AppHost (Postgres:Lifetime=session)");
        }
    }

    /// <summary>
    /// The server is ours (its postmaster.pid says so), but it may still be starting, or it may not know this checkout's
    /// password (the password file was replaced): say so now rather than fail health checks forever.
    /// </summary>
    private static async Task WaitUntilItAcceptsUsAsync(LocalPostgresCluster cluster, CancellationToken cancellationToken)
    {
        var connectionString = cluster.ConnectionString();
        connectionString.Pooling = false;
        connectionString.Timeout = 5;
        try
        {
            await using var connection = await DatabaseConnector.OpenAsync(connectionString, ConnectTimeout, cancellationToken: cancellationToken);
        }
        catch (DatabaseUnreachableException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.InvalidPassword })
        {
            throw new LocalServerException(
                $"The server on port {cluster.Port} refuses this checkout's password ({cluster.PasswordFile}): " +
                "the file was replaced after the cluster was created. Put the old file back, or move the state directory aside to start afresh.", ex);
        }
    }

    /// <summary>
    /// A custom resource's children are not moved through their states by Aspire: each database is created (as a copy of
    /// its template, for a database per branch) and said Running, so that WaitFor(database) sees it (and its health check starts).
    /// </summary>
    private async Task CreateDatabasesAsync(LocalPostgresServerResource server, LocalPostgresCluster cluster, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var database in server.Databases)
        {
            string state;
            try
            {
                string? created;
                if (database.Isolated is { } isolated)
                {
                    created = await TestDatabases.CreateAsync(cluster, isolated, logger, cancellationToken);
                    lifetime.ApplicationStopped.Register(() => TestDatabases.Drop(cluster, isolated.Name, logger));
                }
                else
                {
                    created = database.Template is not null
                        ? await BranchDatabase.EnsureAsync(cluster, database.DatabaseName, database.Template, cancellationToken)
                        : (await cluster.EnsureDatabaseAsync(database.DatabaseName, cancellationToken: cancellationToken))?.Describe();
                }
                if (created is not null)
                {
                    logger.LogInformation("{Created}", created);
                }

                state = KnownResourceStates.Running;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or DatabaseUnreachableException or Superset.Migrations.Engine.MigrationException or LocalServerException)
            {
                logger.LogError("Cannot create database {Database}: {Reason}", database.DatabaseName, ex.Message);
                state = KnownResourceStates.FailedToStart;
            }

            await notifications.PublishUpdateAsync(database, snapshot => snapshot with { State = state, StartTimeStamp = DateTime.UtcNow });
        }
    }

    /// <summary>Shows the server's log as it grows, and marks the resource exited when the server process goes away.</summary>
    private async Task WatchAsync(LocalPostgresServerResource server, int pid, ServerLogTail log, ILogger logger, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(PollInterval);
        do
        {
            log.CopyNewLines();
            if (!PostmasterPidFile.IsPostgresProcess(pid))
            {
                log.CopyNewLines();
                if (!stopping.IsCancellationRequested)
                {
                    logger.LogError("The PostgreSQL server (pid {Pid}) exited; the next F5 or command starts it again", pid);
                }

                await PublishExitedAsync(server, KnownResourceStates.Exited);
                return;
            }
        }
        while (await timer.WaitForNextTickAsync(stopping));
    }

    private static void StopWithTheAppHost(LocalPostgresCluster cluster, ILogger logger)
    {
        try
        {
            // The AppHost is stopping and waits for this; the stop itself is bounded.
            cluster.StopAsync().GetAwaiter().GetResult();
            logger.LogInformation("Stopped PostgreSQL with the AppHost (Postgres:Lifetime=session)");
        }
        catch (Exception ex) when (ex is LocalServerException or IOException)
        {
            logger.LogError("Could not stop PostgreSQL: {Reason}", ex.Message);
        }
    }

    /// <summary>The server and its databases: what waits on them stops waiting and fails.</summary>
    private async Task PublishExitedAsync(LocalPostgresServerResource server, string state)
    {
        await notifications.PublishUpdateAsync(server, s => s with { State = state, StopTimeStamp = DateTime.UtcNow });
        foreach (var database in server.Databases)
        {
            await notifications.PublishUpdateAsync(database, s => s with { State = state, StopTimeStamp = DateTime.UtcNow });
        }
    }
}
