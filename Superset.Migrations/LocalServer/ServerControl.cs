namespace Superset.Migrations.LocalServer;

/// <summary>What <see cref="ServerControl.EnsureRunningAsync"/> found or did.</summary>
public enum ServerAction
{
    /// <summary>A server already ran on the data directory (the AppHost's or the command line's): it is used as it is.</summary>
    Reused,

    /// <summary>The server was started.</summary>
    Started,

    /// <summary>The cluster was created (initdb), then the server started.</summary>
    Initialized,
}

/// <summary>A checkout's server as it is now: whether it runs, as which process, on which port, started by whom.</summary>
public sealed record ServerStatus(int? Pid, int Port, string DataDirectory, ServerStartRecord? StartedBy, ServerAction Action = ServerAction.Reused)
{
    public bool IsRunning => Pid is not null;
}

/// <summary>
/// Starts, finds and stops a checkout's PostgreSQL server, for the AppHost and the command line alike: whoever comes
/// first starts it in the background, everyone after uses it, and it runs until someone stops it. Everything that
/// could make a start hang or fail obscurely is checked first and said in one line: a port held by another program,
/// a data directory of another PostgreSQL major version, a <c>postmaster.pid</c> left by a server that is gone.
/// </summary>
public static class ServerControl
{
    /// <summary>The server of <paramref name="cluster"/>, running: the one that runs already, else one started now.</summary>
    /// <param name="starter">Who starts it, for <c>server status</c> ("the AppHost", "the command line").</param>
    /// <param name="progress">Told of each step worth a line in a log (initdb, a stale pid file removed).</param>
    public static async Task<ServerStatus> EnsureRunningAsync(
        LocalPostgresCluster cluster, string starter, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (Running(cluster) is { } running)
        {
            return running;
        }

        using var stateLock = await StateDirectoryLock.AcquireAsync(cluster.StateDirectory, $"{starter} starting the server", cancellationToken: cancellationToken);

        // Someone else may have started it while we waited for the lock.
        if (Running(cluster) is { } startedMeanwhile)
        {
            return startedMeanwhile;
        }

        RemoveStalePidFile(cluster, progress);
        await CheckMajorVersionAsync(cluster, cancellationToken);
        if (!PortHolder.IsFree(cluster.Port))
        {
            throw new LocalServerException(
                $"Cannot start PostgreSQL for {cluster.StateDirectory}: {PortHolder.Describe(cluster.Port)}. " +
                "Stop that program, or give this checkout another port (Postgres:Port in the AppHost's configuration, or Postgres__Port=N).");
        }

        var action = ServerAction.Started;
        if (!cluster.IsInitialized)
        {
            progress?.Invoke($"Creating the PostgreSQL cluster in {cluster.DataDirectory} (initdb)");
            await cluster.InitializeAsync(cancellationToken);
            action = ServerAction.Initialized;
        }

        await cluster.StartAsync(cancellationToken);
        var pid = cluster.ServerProcessId()
            ?? throw new LocalServerException($"PostgreSQL started in {cluster.DataDirectory} but exited at once: {string.Join(" | ", cluster.LastLogLines(3))}");
        var record = new ServerStartRecord(starter, Environment.ProcessId, DateTimeOffset.Now, pid);
        record.Save(cluster.StateDirectory);
        return new ServerStatus(pid, cluster.Port, cluster.DataDirectory, record, action);
    }

    /// <summary>The server as it is, without starting anything.</summary>
    public static ServerStatus Status(LocalPostgresCluster cluster) =>
        Running(cluster) ?? new ServerStatus(null, cluster.Port, cluster.DataDirectory, null);

    /// <summary>Stops the server (a fast shutdown: sessions are disconnected); false when it was not running.</summary>
    public static async Task<bool> StopAsync(LocalPostgresCluster cluster, CancellationToken cancellationToken = default)
    {
        using var stateLock = await StateDirectoryLock.AcquireAsync(cluster.StateDirectory, "stopping the server", cancellationToken: cancellationToken);
        if (cluster.ServerProcessId() is not { } pid)
        {
            return false;
        }

        await cluster.StopAsync(cancellationToken: cancellationToken);

        // pg_ctl returns once postmaster.pid is gone, a moment before the process itself: "stopped" means gone.
        var deadline = DateTime.UtcNow + StopWait;
        while (PostmasterPidFile.IsPostgresProcess(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }

        return true;
    }

    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    private static ServerStatus? Running(LocalPostgresCluster cluster)
    {
        if (PostmasterPidFile.Read(cluster.DataDirectory) is not { IsLive: true } pidFile)
        {
            return null;
        }

        if (pidFile.Port is { } port && port != cluster.Port)
        {
            throw new LocalServerException(
                $"The server of {cluster.StateDirectory} runs on port {port}, but port {cluster.Port} is asked for: " +
                "stop it first ('manage_migrations.sh server stop'), then start again.");
        }

        return new ServerStatus(pidFile.Pid, cluster.Port, cluster.DataDirectory, ServerStartRecord.Read(cluster.StateDirectory, pidFile.Pid));
    }

    /// <summary>
    /// A postmaster.pid whose pid is now another program's (after a restart) makes PostgreSQL refuse to start; one
    /// whose process is gone PostgreSQL replaces itself. Either way no server of ours runs, so it goes.
    /// </summary>
    private static void RemoveStalePidFile(LocalPostgresCluster cluster, Action<string>? progress)
    {
        if (PostmasterPidFile.Read(cluster.DataDirectory) is not { } stale)
        {
            return;
        }

        try
        {
            File.Delete(stale.Path);
            progress?.Invoke($"Removed a stale {PostmasterPidFile.FileName} (pid {stale.Pid} is no PostgreSQL server of this data directory now)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LocalServerException($"A stale {stale.Path} (pid {stale.Pid} is not PostgreSQL) keeps the server from starting, and it cannot be removed: {ex.Message}", ex);
        }
    }

    /// <summary>A data directory of another major version would make the server exit at once with a message few read.</summary>
    private static async Task CheckMajorVersionAsync(LocalPostgresCluster cluster, CancellationToken cancellationToken)
    {
        if (cluster.DataDirectoryMajorVersion is not { } dataVersion)
        {
            return;
        }

        var binaryVersion = await cluster.Binaries.GetMajorVersionAsync(cancellationToken);
        if (binaryVersion != dataVersion)
        {
            throw new LocalServerException(
                $"The data directory {cluster.DataDirectory} was created by PostgreSQL {dataVersion}, but the binaries in {cluster.Binaries.BinDirectory} are PostgreSQL {binaryVersion}. " +
                $"Point Postgres:BinDirectory (Postgres__BinDirectory) at PostgreSQL {dataVersion}'s binaries, or move {cluster.StateDirectory} aside to start afresh with an empty database.");
        }
    }
}
