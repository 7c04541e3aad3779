using System.Globalization;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// The PostgreSQL programs run on a cluster, as its account: initdb once, pg_ctl to start the server in the background
/// and to stop it, and what the data directory and the log say. The caller holds the state directory's lock.
/// </summary>
internal sealed class ClusterPrograms(string dataDirectory, int port, PostgresBinaries binaries, ServerAccount account)
{
    public bool IsInitialized => File.Exists(Path.Combine(dataDirectory, "PG_VERSION"));

    /// <summary>The server's log (pg_ctl's --log), beside the data directory.</summary>
    public string LogFile => Path.Combine(Path.GetDirectoryName(dataDirectory)!, "server.log");

    /// <summary>The PostgreSQL major version that created the data directory (its PG_VERSION); null before initdb.</summary>
    public int? DataDirectoryMajorVersion =>
        IsInitialized && int.TryParse(File.ReadAllText(Path.Combine(dataDirectory, "PG_VERSION")).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            ? major
            : null;

    /// <summary>initdb: UTF-8, superuser <c>postgres</c> with the generated password, SCRAM for every connection.</summary>
    public async Task InitializeAsync(string password, CancellationToken cancellationToken)
    {
        var clusterRoot = Path.GetDirectoryName(dataDirectory)!;
        var passwordFile = Path.Combine(clusterRoot, ".initdb-password");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await account.TakeOwnershipAsync(clusterRoot, cancellationToken);

        // Into a folder of its own, renamed when complete: an initdb cut short (Ctrl+C, a killed AppHost) leaves no
        // half-made data directory for the next start to trip over, only this folder, which the next attempt removes.
        var building = dataDirectory + ".initdb";
        foreach (var leftover in new[] { building, dataDirectory }.Where(Directory.Exists))
        {
            // Not a cluster (no PG_VERSION, checked by the caller): what an interrupted initdb left.
            Directory.Delete(leftover, recursive: true);
        }

        try
        {
            // --no-sync: a development cluster; a machine crash in the next seconds costs a re-init, not data.
            var result = await account.RunAsync(binaries.Initdb,
            [
                "--pgdata", building, "--username", LocalPostgresCluster.SuperUser, "--pwfile", passwordFile,
                "--auth-local", "scram-sha-256", "--auth-host", "scram-sha-256",
                "--encoding", "UTF8", "--no-locale", "--no-sync",
            ], clusterRoot, cancellationToken);
            if (!result.Succeeded)
            {
                throw new LocalServerException($"initdb failed for {dataDirectory}: {result.LastError}");
            }

            Directory.Move(building, dataDirectory);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>
    /// Starts the server in the background and waits until it accepts connections: loopback only, no Unix socket. pg_ctl
    /// detaches it from the caller's session (setsid), so it outlives the process that started it and a Ctrl+C in the
    /// terminal never reaches it: what lets the AppHost and the command line share one server.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = $"-p {port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''";
        var result = await account.RunAsync(binaries.PgCtl,
            ["start", "--pgdata", dataDirectory, "--wait", "--timeout", "60", "--silent", "--log", LogFile, "-o", options],
            Path.GetDirectoryName(dataDirectory), cancellationToken);
        if (!result.Succeeded)
        {
            var log = LastLogLines(3);
            throw new LocalServerException(
                $"Could not start PostgreSQL in {dataDirectory}: {result.LastError}{(log.Length > 0 ? $" (server.log: {string.Join(" | ", log)})" : "")}");
        }
    }

    /// <summary>A fast shutdown disconnects sessions and checkpoints; an immediate one (throwaway clusters) skips the checkpoint.</summary>
    public async Task StopAsync(bool immediate, CancellationToken cancellationToken)
    {
        var result = await account.RunAsync(binaries.PgCtl,
            ["stop", "--pgdata", dataDirectory, "--mode", immediate ? "immediate" : "fast", "--wait", "--silent"], Path.GetDirectoryName(dataDirectory), cancellationToken);
        if (!result.Succeeded && PostmasterPidFile.Read(dataDirectory) is { IsLive: true })
        {
            throw new LocalServerException($"Could not stop PostgreSQL in {dataDirectory}: {result.LastError}");
        }
    }

    /// <summary>The last lines of the server's log, for a message that says why it would not start.</summary>
    public string[] LastLogLines(int count)
    {
        try
        {
            return File.Exists(LogFile) ? File.ReadLines(LogFile).Where(l => l.Trim().Length > 0).TakeLast(count).ToArray() : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
