using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Superset.Migrations.Connection;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// A PostgreSQL cluster of the developer's machine, run from its own binaries: what the AppHost provisions in
/// local mode, what the command line starts on demand, and what the tests run against.
/// </summary>
/// <remarks>
/// Layout of the state directory (git-ignored, e.g. <c>.data/postgres</c>): <c>password</c> (mode 600, the
/// generated superuser password), <c>cluster.conf</c> (port and data directory) and <c>cluster/pgdata</c>. When we
/// are root and the <c>postgres</c> account cannot reach the state directory (a checkout under <c>/root</c>, mode
/// 700), the cluster lives in <c>/var/tmp/superset-postgres-&lt;hash&gt;</c> instead and <c>cluster.conf</c> says where.
/// The server listens on 127.0.0.1 only, without a Unix socket, and asks for a SCRAM password.
/// </remarks>
public sealed class LocalPostgresCluster
{
    /// <summary>The first port of the range checkouts' servers get their ports from (54320 to 54999).</summary>
    public const int FirstPort = 54320;
    public const int PortRange = 680;
    public const string SuperUser = "postgres";

    private const string PasswordFile = "password";
    private const string StateFile = "cluster.conf";

    private LocalPostgresCluster(string stateDirectory, string dataDirectory, int port, PostgresBinaries binaries, ServerAccount account)
    {
        StateDirectory = stateDirectory;
        DataDirectory = dataDirectory;
        Port = port;
        Binaries = binaries;
        Account = account;
    }

    public string StateDirectory { get; }

    public string DataDirectory { get; }

    public int Port { get; }

    public PostgresBinaries Binaries { get; }

    public ServerAccount Account { get; }

    public bool IsInitialized => File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));

    /// <summary>Whether the cluster was moved out of the state directory for the postgres account to reach it.</summary>
    public bool IsRelocated => !DataDirectory.StartsWith(StateDirectory, StringComparison.Ordinal);

    /// <summary>The superuser password, generated (32 random characters) the first time and kept in the state directory.</summary>
    public string Password => ReadOrCreatePassword(StateDirectory);

    /// <summary>
    /// Opens (and on first use lays out) a cluster. The port is the one given, else the one saved, else one of its own
    /// (<see cref="PortFor"/>); it is saved so that the command line finds the server the AppHost runs.
    /// </summary>
    public static async Task<LocalPostgresCluster> OpenAsync(
        string stateDirectory, PostgresBinaries binaries, int? port = null, ServerAccount? account = null, CancellationToken cancellationToken = default)
    {
        stateDirectory = Path.GetFullPath(stateDirectory);
        account ??= ServerAccount.Current;
        Directory.CreateDirectory(stateDirectory);

        // Two commands on a fresh clone lay it out once, and agree on its port.
        using var stateLock = await StateDirectoryLock.AcquireAsync(stateDirectory, "opening the local PostgreSQL cluster", cancellationToken: cancellationToken);
        var saved = ReadState(stateDirectory);
        var dataDirectory = saved.DataDirectory is { } known && Directory.Exists(Path.GetDirectoryName(known))
            ? known
            : await LayOutDataDirectoryAsync(stateDirectory, account, cancellationToken);

        var cluster = new LocalPostgresCluster(stateDirectory, dataDirectory, port ?? saved.Port ?? PortFor(stateDirectory), binaries, account);
        cluster.SaveState();
        return cluster;
    }

    /// <summary>Reads where the AppHost's cluster is, without creating anything; null when there is none yet.</summary>
    public static LocalPostgresCluster? TryOpenExisting(string stateDirectory, PostgresBinaries binaries)
    {
        var saved = ReadState(stateDirectory);
        if (saved.DataDirectory is null || !File.Exists(Path.Combine(stateDirectory, PasswordFile)))
        {
            return null;
        }

        return new LocalPostgresCluster(Path.GetFullPath(stateDirectory), saved.DataDirectory, saved.Port ?? PortFor(stateDirectory), binaries, ServerAccount.Current);
    }

    /// <summary>
    /// A port of this state directory's own, so that two checkouts (a <c>git worktree</c>, a second clone) run their
    /// servers side by side: derived from the directory's path, so it stays the same for it, and the next one up when
    /// another program holds it when it is first chosen. It is saved in <c>cluster.conf</c> from then on.
    /// </summary>
    public static int PortFor(string stateDirectory)
    {
        var offset = PathOffset.Of(stateDirectory, PortRange);
        for (var i = 0; i < PortRange; i++)
        {
            var port = FirstPort + (offset + i) % PortRange;
            if (PortHolder.IsFree(port))
            {
                return port;
            }
        }

        return FirstPort + offset;
    }

    /// <summary>The PostgreSQL major version that created the data directory (its PG_VERSION); null before initdb.</summary>
    public int? DataDirectoryMajorVersion =>
        File.Exists(Path.Combine(DataDirectory, "PG_VERSION"))
        && int.TryParse(File.ReadAllText(Path.Combine(DataDirectory, "PG_VERSION")).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            ? major
            : null;

    /// <summary>Runs initdb once: UTF-8, superuser <c>postgres</c> with the generated password, SCRAM for every connection.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (IsInitialized)
        {
            return;
        }

        var clusterRoot = Path.GetDirectoryName(DataDirectory)!;
        var passwordFile = Path.Combine(clusterRoot, ".initdb-password");
        await File.WriteAllTextAsync(passwordFile, Password, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await Account.TakeOwnershipAsync(clusterRoot, cancellationToken);

        // Into a folder of its own, renamed when complete: an initdb cut short (Ctrl+C, a killed AppHost) leaves no
        // half-made data directory for the next start to trip over, only this folder, which the next attempt removes.
        var building = DataDirectory + ".initdb";
        foreach (var leftover in new[] { building, DataDirectory }.Where(Directory.Exists))
        {
            // Not a cluster (no PG_VERSION, checked above): what an interrupted initdb left.
            Directory.Delete(leftover, recursive: true);
        }

        try
        {
            // --no-sync: a development cluster; a machine crash in the next seconds costs a re-init, not data.
            var result = await Account.RunAsync(Binaries.Initdb,
            [
                "--pgdata", building, "--username", SuperUser, "--pwfile", passwordFile,
                "--auth-local", "scram-sha-256", "--auth-host", "scram-sha-256",
                "--encoding", "UTF8", "--no-locale", "--no-sync",
            ], clusterRoot, cancellationToken);
            if (!result.Succeeded)
            {
                throw new LocalServerException($"initdb failed for {DataDirectory}: {result.LastError}");
            }

            Directory.Move(building, DataDirectory);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>The server's own arguments: loopback only, no Unix socket, this cluster's port.</summary>
    public IReadOnlyList<string> ServerArguments() =>
    [
        "-D", DataDirectory,
        "-p", Port.ToString(CultureInfo.InvariantCulture),
        "-c", "listen_addresses=127.0.0.1",
        "-c", "unix_socket_directories=",
    ];

    /// <summary>
    /// The command that runs the server in the foreground (as the postgres account when we are root). PostgreSQL
    /// logs to stderr, which a dashboard shows as errors, so a shell joins it to stdout and then execs the server in
    /// its place: the process an orchestrator starts and stops is still PostgreSQL itself.
    /// </summary>
    public (string FileName, IReadOnlyList<string> Arguments) ForegroundCommand() =>
        Account.Wrap("/bin/sh", ["-c", "exec \"$0\" \"$@\" 2>&1", Binaries.Postgres, .. ServerArguments()]);

    /// <summary>Starts the server in the background with pg_ctl and waits until it accepts connections.</summary>
    /// <remarks>
    /// pg_ctl detaches the server from the caller's session (setsid), so it outlives the process that started it and
    /// a Ctrl+C in the terminal never reaches it: what lets the AppHost and the command line share one server.
    /// </remarks>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken);
        var options = string.Join(' ', ServerArguments().Skip(2).Select(a => a.EndsWith('=') ? a + "''" : a));
        var result = await Account.RunAsync(Binaries.PgCtl,
            ["start", "--pgdata", DataDirectory, "--wait", "--timeout", "60", "--silent", "--log", LogFile, "-o", options],
            Path.GetDirectoryName(DataDirectory), cancellationToken);
        if (!result.Succeeded)
        {
            var log = LastLogLines(3);
            throw new LocalServerException(
                $"Could not start PostgreSQL in {DataDirectory}: {result.LastError}{(log.Length > 0 ? $" (server.log: {string.Join(" | ", log)})" : "")}");
        }
    }

    /// <summary>The server's log when it runs in the background (pg_ctl's --log), beside the data directory.</summary>
    public string LogFile => Path.Combine(Path.GetDirectoryName(DataDirectory)!, "server.log");

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

    /// <summary>
    /// Stops a server running on this data directory: a fast shutdown disconnects sessions and checkpoints;
    /// an immediate one (for throwaway clusters) skips the checkpoint.
    /// </summary>
    public async Task StopAsync(bool immediate = false, CancellationToken cancellationToken = default)
    {
        if (!IsRunning())
        {
            return;
        }

        var result = await Account.RunAsync(Binaries.PgCtl,
            ["stop", "--pgdata", DataDirectory, "--mode", immediate ? "immediate" : "fast", "--wait", "--silent"], Path.GetDirectoryName(DataDirectory), cancellationToken);
        if (!result.Succeeded && IsRunning())
        {
            throw new LocalServerException($"Could not stop PostgreSQL in {DataDirectory}: {result.LastError}");
        }
    }

    /// <summary>
    /// Asks a running server for a fast shutdown (sessions are disconnected) without waiting for it. An orchestrator
    /// stops processes with SIGTERM, which PostgreSQL takes as a smart shutdown that waits for every client to leave.
    /// </summary>
    public void RequestFastShutdown()
    {
        if (IsRunning())
        {
            Account.RunAsync(Binaries.PgCtl, ["stop", "--pgdata", DataDirectory, "--mode", "fast", "--no-wait", "--silent"],
                Path.GetDirectoryName(DataDirectory)).GetAwaiter().GetResult();
        }
    }

    /// <summary>Whether a live PostgreSQL process owns this data directory (its postmaster.pid names one).</summary>
    public bool IsRunning() => ServerProcessId() is not null;

    public int? ServerProcessId() => PostmasterPidFile.Read(DataDirectory) is { IsLive: true } pidFile ? pidFile.Pid : null;

    /// <summary>Whether something accepts TCP connections on the cluster's port.</summary>
    public bool IsListening()
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync("127.0.0.1", Port).Wait(TimeSpan.FromSeconds(1)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public NpgsqlConnectionStringBuilder ConnectionString(string database = "postgres") => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = Password,
        Database = database,
    };

    /// <summary>Creates <paramref name="database"/> when it does not exist; returns whether it created it.</summary>
    public async Task<bool> EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        // Unpooled: a one-off administrative session, and a pooled one could be left over from an earlier server.
        var connectionString = ConnectionString("postgres");
        connectionString.Pooling = false;
        await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return await DatabaseCreator.EnsureAsync(connection, database, cancellationToken);
    }

    private void SaveState() =>
        File.WriteAllText(Path.Combine(StateDirectory, StateFile),
            $"# Written by Superset's AppHost and command line: where the local PostgreSQL cluster lives.\nport={Port}\ndata_directory={DataDirectory}\n");

    private static (int? Port, string? DataDirectory) ReadState(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, StateFile);
        if (!File.Exists(path))
        {
            return (null, null);
        }

        var values = File.ReadAllLines(path)
            .Where(l => !l.StartsWith('#') && l.Contains('='))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        return (
            values.TryGetValue("port", out var port) && int.TryParse(port, out var p) ? p : null,
            values.GetValueOrDefault("data_directory"));
    }

    private static async Task<string> LayOutDataDirectoryAsync(string stateDirectory, ServerAccount account, CancellationToken cancellationToken)
    {
        var clusterRoot = Path.Combine(stateDirectory, "cluster");
        Directory.CreateDirectory(clusterRoot);
        await account.TakeOwnershipAsync(clusterRoot, cancellationToken);
        if (await account.CanReachAsync(clusterRoot, cancellationToken))
        {
            return Path.Combine(clusterRoot, "pgdata");
        }

        // The postgres account cannot enter the checkout (for example under /root, mode 700).
        Directory.Delete(clusterRoot);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stateDirectory)))[..12];
        var relocated = Path.Combine("/var/tmp", $"superset-postgres-{hash}");
        Directory.CreateDirectory(relocated);
        await account.TakeOwnershipAsync(relocated, cancellationToken);
        return Path.Combine(relocated, "pgdata");
    }

    private static string ReadOrCreatePassword(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, PasswordFile);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var password = RandomNumberGenerator.GetString(alphabet, 32);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.Write(password);
            return password;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process (the AppHost or the command line) created it first: use theirs.
            return File.ReadAllText(path).Trim();
        }
    }
}
