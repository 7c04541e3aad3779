using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Superset.Migrations.LocalServer;

namespace Superset.AppHost.Postgres;

/// <summary>
/// The local server's life in the AppHost: use the server that runs (the command line's, or the last F5's), else start
/// one in the background; say which in the dashboard; show its log; notice when it exits; stop it with the AppHost only
/// under <c>Postgres:Lifetime=session</c>. Every step is bounded, and a server that cannot be used fails the resource at
/// once with one line saying why, so that nothing waits on it forever.
/// </summary>
internal sealed class LocalPostgresLifecycle(LocalPostgresServerResource server, IServiceProvider services, ILogger logger)
{
    /// <summary>How long a server that runs may take to accept this checkout's password (it is starting up, say).</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly ResourceNotificationService _notifications = services.GetRequiredService<ResourceNotificationService>();
    private readonly LocalPostgresCluster _cluster = server.Cluster;

    public async Task RunAsync(CancellationToken stopping)
    {
        await _notifications.PublishUpdateAsync(server, s => s with { State = KnownResourceStates.Starting });
        var logOffset = LogLength();
        ServerStatus status;
        try
        {
            status = await ServerControl.EnsureRunningAsync(_cluster, "the AppHost", line => logger.LogInformation("{Step}", line), stopping);
            await WaitUntilItAcceptsUsAsync(stopping);
        }
        catch (LocalServerException ex)
        {
            await FailAsync(ex.Message);
            return;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }

        LogStatus(status);
        if (server.Lifetime == PostgresLifetime.Session)
        {
            // Registered before anything can stop the AppHost, and run while it stops: the server goes with it.
            services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(StopWithTheAppHost);
        }

        await _notifications.PublishUpdateAsync(server, s => s with
        {
            State = KnownResourceStates.Running,
            StartTimeStamp = status.StartedBy?.StartedAt.UtcDateTime ?? DateTime.UtcNow,
            Properties = s.Properties.With("superset.postgres.pid", status.Pid!.Value.ToString(CultureInfo.InvariantCulture))
                .With("superset.postgres.port", _cluster.Port.ToString(CultureInfo.InvariantCulture))
                .With("superset.postgres.data_directory", _cluster.DataDirectory)
                .With("superset.postgres.started_by", status.StartedBy?.ToString() ?? "unknown")
                .With("superset.postgres.reused", status.Action == ServerAction.Reused ? "true" : "false")
                .With("superset.postgres.lifetime", server.Lifetime.ToString().ToLowerInvariant()),
            Urls = [new UrlSnapshot("tcp", $"tcp://127.0.0.1:{_cluster.Port}", IsInternal: false)],
        });

        await WatchAsync(status.Pid!.Value, status.Action == ServerAction.Reused ? LogLength() : logOffset, stopping);
    }

    private void LogStatus(ServerStatus status)
    {
        var account = _cluster.Account.UserName is { } user ? $", running as the '{user}' account" : string.Empty;
        if (status.Action == ServerAction.Reused)
        {
            logger.LogInformation(
                "Using the PostgreSQL server that runs already (pid {Pid}, started by {StartedBy}) on 127.0.0.1:{Port}, data in {DataDirectory}{Account}",
                status.Pid, status.StartedBy?.ToString() ?? "someone else", _cluster.Port, _cluster.DataDirectory, account);
        }
        else
        {
            logger.LogInformation("Started PostgreSQL (pid {Pid}) from {BinDirectory} on 127.0.0.1:{Port}, data in {DataDirectory}{Account}",
                status.Pid, _cluster.Binaries.BinDirectory, _cluster.Port, _cluster.DataDirectory, account);
        }

        logger.LogInformation(server.Lifetime == PostgresLifetime.Persistent
            ? "It keeps running when the AppHost stops (Postgres:Lifetime=persistent); 'scripts/manage_migrations.sh server stop' stops it"
            : "It stops with the AppHost (Postgres:Lifetime=session)");
    }

    /// <summary>
    /// The server is ours (its postmaster.pid says so), but it may still be starting, or it may not know this checkout's
    /// password (the password file was replaced): say so now rather than fail health checks forever.
    /// </summary>
    private async Task WaitUntilItAcceptsUsAsync(CancellationToken cancellationToken)
    {
        var connectionString = _cluster.ConnectionString("postgres");
        connectionString.Pooling = false;
        connectionString.Timeout = 5;
        var deadline = DateTime.UtcNow + ConnectTimeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
            {
                throw new LocalServerException(
                    $"The server on port {_cluster.Port} refuses this checkout's password ({Path.Combine(_cluster.StateDirectory, "password")}): " +
                    "the file was replaced after the cluster was created. Put the old file back, or move the state directory aside to start afresh.", ex);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                throw new LocalServerException(
                    $"The server (data in {_cluster.DataDirectory}) runs but did not accept a connection on port {_cluster.Port} within {ConnectTimeout.TotalSeconds:0} s: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Shows the server's log as it grows, and marks the resource exited when the server process goes away.</summary>
    private async Task WatchAsync(int pid, long logOffset, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            do
            {
                logOffset = CopyNewLogLines(logOffset);
                if (!PostmasterPidFile.IsPostgresProcess(pid))
                {
                    CopyNewLogLines(logOffset);
                    if (!stopping.IsCancellationRequested)
                    {
                        logger.LogError("The PostgreSQL server (pid {Pid}) exited; the next F5 or command starts it again", pid);
                    }

                    await PublishExitedAsync(KnownResourceStates.Exited);
                    return;
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException)
        {
            // The AppHost is stopping.
        }
    }

    private void StopWithTheAppHost()
    {
        try
        {
            ServerControl.StopAsync(_cluster).GetAwaiter().GetResult();
            logger.LogInformation("Stopped PostgreSQL with the AppHost (Postgres:Lifetime=session)");
        }
        catch (Exception ex) when (ex is LocalServerException or IOException)
        {
            logger.LogError("Could not stop PostgreSQL: {Reason}", ex.Message);
        }
    }

    private async Task FailAsync(string reason)
    {
        logger.LogError("{Reason}", reason);
        await PublishExitedAsync(KnownResourceStates.FailedToStart);
    }

    /// <summary>The server and its databases: what waits on them stops waiting and fails.</summary>
    private async Task PublishExitedAsync(string state)
    {
        await _notifications.PublishUpdateAsync(server, s => s with { State = state, StopTimeStamp = DateTime.UtcNow });
        foreach (var database in server.Databases)
        {
            await _notifications.PublishUpdateAsync(database, s => s with { State = state, StopTimeStamp = DateTime.UtcNow });
        }
    }

    private long LogLength()
    {
        try
        {
            return File.Exists(_cluster.LogFile) ? new FileInfo(_cluster.LogFile).Length : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Writes the log lines written since <paramref name="offset"/> to the resource's console; returns the new offset.</summary>
    private long CopyNewLogLines(long offset)
    {
        try
        {
            if (!File.Exists(_cluster.LogFile))
            {
                return offset;
            }

            using var stream = new FileStream(_cluster.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < offset)
            {
                offset = 0; // The log was truncated or replaced.
            }

            stream.Seek(offset, SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            var complete = text.LastIndexOf('\n');
            if (complete < 0)
            {
                return offset;
            }

            foreach (var line in text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                logger.LogInformation("{Line}", line.TrimEnd('\r'));
            }

            return offset + System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, complete + 1));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return offset;
        }
    }
}
