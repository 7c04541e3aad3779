namespace Superset.Migrations.LocalServer;

/// <summary>
/// What would make a start hang or fail obscurely, found before pg_ctl runs and said in one line: a port held by
/// another program, a data directory of another PostgreSQL major version, a <c>postmaster.pid</c> left by a server that
/// is gone (removed, and said).
/// </summary>
internal static class ServerStartChecks
{
    public static async Task RunAsync(LocalPostgresCluster cluster, ClusterPrograms programs, Action<string>? progress, CancellationToken cancellationToken)
    {
        RemoveStalePidFile(cluster, progress);
        await CheckMajorVersionAsync(cluster, programs, cancellationToken);
        if (!PortHolder.IsFree(cluster.Port))
        {
            throw new LocalServerException(
                $"Cannot start PostgreSQL for {cluster.StateDirectory}: {PortHolder.Describe(cluster.Port)}. " +
                "Stop that program, or give this checkout another port (Postgres:Port in the AppHost's configuration, or Postgres__Port=N).");
        }
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
    private static async Task CheckMajorVersionAsync(LocalPostgresCluster cluster, ClusterPrograms programs, CancellationToken cancellationToken)
    {
        if (programs.DataDirectoryMajorVersion is not { } dataVersion)
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
