using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Settings;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// A checkout's own PostgreSQL server, run from the machine's binaries: what the AppHost provisions in local mode, what
/// the command line starts on demand, and what the tests and the benchmarks run against. The one way to lay it out,
/// start, find, stop it and create its databases: whoever comes first starts it in the background (under the state
/// directory's lock, so two at once start it once), everyone after uses it, and it runs until someone stops it. It
/// listens on 127.0.0.1 only, without a Unix socket, and asks for a SCRAM password.
/// </summary>
public sealed class LocalPostgresCluster
{
    public const string SuperUser = "postgres";

    /// <summary>After pg_ctl says a server stopped, how long its process may take to be gone.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    private readonly ClusterPrograms _programs;

    private LocalPostgresCluster(string stateDirectory, string dataDirectory, int port, PostgresBinaries binaries, ServerAccount account)
    {
        StateDirectory = stateDirectory;
        DataDirectory = dataDirectory;
        Port = port;
        Binaries = binaries;
        AccountName = account.UserName;
        _programs = new ClusterPrograms(dataDirectory, port, binaries, account);
    }

    public string StateDirectory { get; }

    public string DataDirectory { get; }

    public int Port { get; }

    public PostgresBinaries Binaries { get; }

    /// <summary>The account the server runs as when it is not ours (we are root): <c>postgres</c>.</summary>
    public string? AccountName { get; }

    /// <summary>Whether the cluster was moved out of the state directory for the postgres account to reach it.</summary>
    public bool IsRelocated => !DataDirectory.StartsWith(StateDirectory, StringComparison.Ordinal);

    /// <summary>The superuser password, generated the first time and kept in the state directory.</summary>
    public string Password => ClusterLayout.ReadOrCreatePassword(StateDirectory);

    public string PasswordFile => ClusterLayout.PasswordPath(StateDirectory);

    /// <summary>The server's log when it runs in the background, beside the data directory.</summary>
    public string LogFile => _programs.LogFile;

    public string[] LastLogLines(int count) => _programs.LastLogLines(count);

    /// <summary>
    /// Opens (and on first use lays out) a cluster. The port is the one given, else the one saved, else one of its own;
    /// it is saved so that the command line finds the server the AppHost runs.
    /// </summary>
    public static async Task<LocalPostgresCluster> OpenAsync(
        string stateDirectory, PostgresBinaries binaries, int? port = null, CancellationToken cancellationToken = default)
    {
        stateDirectory = Path.GetFullPath(stateDirectory);
        var account = ServerAccount.Current;
        Directory.CreateDirectory(stateDirectory);

        // Two commands on a fresh clone lay it out once, and agree on its port.
        using var stateLock = await StateDirectoryLock.AcquireAsync(stateDirectory, "opening the local PostgreSQL cluster", cancellationToken: cancellationToken);
        var saved = ClusterLayout.ReadState(stateDirectory);
        var dataDirectory = saved.DataDirectory is { } known && Directory.Exists(Path.GetDirectoryName(known))
            ? known
            : await ClusterLayout.LayOutDataDirectoryAsync(stateDirectory, account, cancellationToken);

        var chosenPort = port ?? saved.Port ?? ClusterLayout.PortFor(stateDirectory);
        ClusterLayout.SaveState(stateDirectory, chosenPort, dataDirectory);
        return new LocalPostgresCluster(stateDirectory, dataDirectory, chosenPort, binaries, account);
    }

    /// <summary>The checkout's cluster as its settings say (<c>Postgres:*</c>); laid out on first use, not started.</summary>
    public static Task<LocalPostgresCluster> OpenAsync(PostgresSettings settings, string checkoutRoot, CancellationToken cancellationToken = default) =>
        OpenAsync(settings.StateDirectory(checkoutRoot), PostgresBinaries.Require(settings.BinDirectory), settings.Port, cancellationToken);

    /// <summary>Reads where a cluster is, without creating anything; null when there is none yet.</summary>
    public static LocalPostgresCluster? TryOpenExisting(string stateDirectory, PostgresBinaries binaries)
    {
        var saved = ClusterLayout.ReadState(stateDirectory);
        if (saved.DataDirectory is null || !File.Exists(ClusterLayout.PasswordPath(stateDirectory)))
        {
            return null;
        }

        return new LocalPostgresCluster(Path.GetFullPath(stateDirectory), saved.DataDirectory, saved.Port ?? ClusterLayout.PortFor(stateDirectory), binaries, ServerAccount.Current);
    }

    /// <summary>The port a state directory gets when nothing says otherwise (54320 to 54999, from its path).</summary>
    public static int PortFor(string stateDirectory) => ClusterLayout.PortFor(stateDirectory);

    /// <summary>
    /// The port a checkout's server has or will have: the configured one, else the one saved in <c>cluster.conf</c>, else
    /// one of its own. Reads one small file and lays out nothing: what the AppHost asks while it builds its model.
    /// </summary>
    public static int PortOf(string stateDirectory, int? configured) =>
        configured ?? ClusterLayout.ReadState(stateDirectory).Port ?? ClusterLayout.PortFor(stateDirectory);

    /// <summary>The superuser password of a state directory's cluster, generated the first time (what a connection string needs).</summary>
    public static string PasswordOf(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        return ClusterLayout.ReadOrCreatePassword(stateDirectory);
    }

    public NpgsqlConnectionStringBuilder ConnectionString(string database = "postgres") => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = Password,
        Database = database,
    };

    /// <summary>The server, running: the one that runs already, else one started now (initdb the first time).</summary>
    /// <param name="starter">Who starts it, for <c>server status</c> ("the AppHost", "the command line").</param>
    /// <param name="progress">Told of each step worth a line in a log (initdb, a stale pid file removed).</param>
    public async Task<ServerStatus> EnsureRunningAsync(string starter, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (Running() is { } running)
        {
            return running;
        }

        using var stateLock = await StateDirectoryLock.AcquireAsync(StateDirectory, $"{starter} starting the server", cancellationToken: cancellationToken);
        if (Running() is { } startedMeanwhile)
        {
            return startedMeanwhile;
        }

        await ServerStartChecks.RunAsync(this, _programs, progress, cancellationToken);
        var action = ServerAction.Started;
        if (!_programs.IsInitialized)
        {
            progress?.Invoke($"Creating the PostgreSQL cluster in {DataDirectory} (initdb)");
            await _programs.InitializeAsync(Password, cancellationToken);
            action = ServerAction.Initialized;
        }

        await _programs.StartAsync(cancellationToken);
        var pid = ServerProcessId()
            ?? throw new LocalServerException($"PostgreSQL started in {DataDirectory} but exited at once: {string.Join(" | ", LastLogLines(3))}");
        var record = new ServerStartRecord(starter, Environment.ProcessId, DateTimeOffset.Now, pid);
        record.Save(StateDirectory);
        return new ServerStatus(pid, Port, DataDirectory, record, action);
    }

    /// <summary>The server as it is, without starting anything.</summary>
    public ServerStatus Status() => Running() ?? new ServerStatus(null, Port, DataDirectory, null);

    /// <summary>
    /// Stops the server: a fast shutdown disconnects sessions and checkpoints; an immediate one (throwaway clusters)
    /// skips the checkpoint. Returns false when it was not running; "stopped" means its process is gone.
    /// </summary>
    public async Task<bool> StopAsync(bool immediate = false, CancellationToken cancellationToken = default)
    {
        using var stateLock = await StateDirectoryLock.AcquireAsync(StateDirectory, "stopping the server", cancellationToken: cancellationToken);
        if (ServerProcessId() is not { } pid)
        {
            return false;
        }

        await _programs.StopAsync(immediate, cancellationToken);

        // pg_ctl returns once postmaster.pid is gone, a moment before the process itself.
        var deadline = DateTime.UtcNow + StopWait;
        while (PostmasterPidFile.IsPostgresProcess(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }

        return true;
    }

    /// <summary>initdb without starting the server (for tests of what a start finds).</summary>
    internal async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        using var stateLock = await StateDirectoryLock.AcquireAsync(StateDirectory, "initializing the cluster", cancellationToken: cancellationToken);
        if (!_programs.IsInitialized)
        {
            await _programs.InitializeAsync(Password, cancellationToken);
        }
    }

    /// <summary>Whether a live PostgreSQL process owns this data directory (its postmaster.pid names one).</summary>
    public bool IsRunning() => ServerProcessId() is not null;

    public int? ServerProcessId() => PostmasterPidFile.Read(DataDirectory) is { IsLive: true } pidFile ? pidFile.Pid : null;

    /// <summary>
    /// Creates <paramref name="database"/> when it is missing (as a copy of <paramref name="template"/> when one is given
    /// and can be copied); returns what was done, or null when it was there.
    /// </summary>
    public Task<DatabaseCreated?> EnsureDatabaseAsync(string database, string? template = null, CancellationToken cancellationToken = default) =>
        DatabaseCreator.EnsureAsync(ConnectionString(), database, template, cancellationToken);

    private ServerStatus? Running()
    {
        if (PostmasterPidFile.Read(DataDirectory) is not { IsLive: true } pidFile)
        {
            return null;
        }

        if (pidFile.Port is { } port && port != Port)
        {
            throw new LocalServerException(
                $"The server of {StateDirectory} runs on port {port}, but port {Port} is asked for: " +
                "stop it first ('manage_migrations.sh server stop'), then start again.");
        }

        return new ServerStatus(pidFile.Pid, Port, DataDirectory, ServerStartRecord.Read(StateDirectory, pidFile.Pid));
    }
}
