using System.Globalization;
using Npgsql;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// The database the AppHost provisions in local mode (<c>.data/postgres</c> at the root of the checkout): what the
/// command line uses when no database is configured, starting its server when it is not running. The AppHost and the
/// command line share that server, whoever started it.
/// </summary>
public static class LocalDevelopmentDatabase
{
    public const string DatabaseName = "superset";

    /// <summary>The state directory relative to the checkout's root.</summary>
    public static readonly string RelativeStateDirectory = Path.Combine(".data", "postgres");

    /// <summary>The AppHost's settings, read from the environment by the command line too (<c>Postgres__Port=54400</c>).</summary>
    public const string DataDirectoryVariable = "Postgres__DataDirectory";
    public const string PortVariable = "Postgres__Port";
    public const string BinDirectoryVariable = "Postgres__BinDirectory";
    public const string DatabasePerBranchVariable = "Postgres__DatabasePerBranch";
    public const string BranchVariable = "Postgres__Branch";

    /// <summary>The root of the checkout (the folder with Superset.sln) at or above <paramref name="start"/>.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Superset.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>The checkout's cluster (laid out on first use, not started).</summary>
    public static async Task<LocalPostgresCluster> OpenClusterAsync(
        string repositoryRoot, Func<string, string?> getVariable, CancellationToken cancellationToken = default)
    {
        var binaries = PostgresBinaries.Find(getVariable(BinDirectoryVariable))
            ?? throw new Connection.InvalidConnectionException($"No database is configured and no PostgreSQL binaries were found. {PostgresBinaries.InstallHint}");
        var stateDirectory = getVariable(DataDirectoryVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured, repositoryRoot)
            : Path.Combine(repositoryRoot, RelativeStateDirectory);
        int? port = null;
        if (getVariable(PortVariable) is { Length: > 0 } portText)
        {
            port = int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is > 0 and < 65536
                ? parsed
                : throw new Connection.InvalidConnectionException($"{PortVariable} must be a TCP port (1 to 65535), not '{portText}'.");
        }

        return await LocalPostgresCluster.OpenAsync(stateDirectory, binaries, port, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Opens the local cluster, starting its server when it does not run (it keeps running afterwards, for the next
    /// command and for the AppHost), and makes sure the <c>superset</c> database exists. Returns its connection
    /// string and a one-line account of what was done.
    /// </summary>
    public static async Task<(NpgsqlConnectionStringBuilder ConnectionString, string Message)> EnsureAsync(
        string repositoryRoot, Func<string, string?>? getVariable = null, CancellationToken cancellationToken = default)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var cluster = await OpenClusterAsync(repositoryRoot, getVariable, cancellationToken);
        var server = await ServerControl.EnsureRunningAsync(cluster, "the command line", cancellationToken: cancellationToken);
        var actions = new List<string>();
        switch (server.Action)
        {
            case ServerAction.Initialized:
                actions.Add("initialized its cluster");
                actions.Add("started its server (it keeps running: 'manage_migrations.sh server stop' stops it)");
                break;
            case ServerAction.Started:
                actions.Add("started its server (it keeps running: 'manage_migrations.sh server stop' stops it)");
                break;
        }

        var (database, branch) = Database(repositoryRoot, cluster.StateDirectory, getVariable);
        if (branch is not null)
        {
            if (await BranchDatabase.EnsureAsync(cluster, database, BranchDatabase.TemplateFor(cluster.StateDirectory, DatabaseName), cancellationToken) is { } created)
            {
                actions.Add(char.ToLowerInvariant(created[0]) + created[1..]);
            }
        }
        else if (await cluster.EnsureDatabaseAsync(DatabaseName, cancellationToken))
        {
            actions.Add("created the database");
        }

        var message = $"Using the local development database {database}{(branch is null ? "" : $" (git branch {branch})")} at 127.0.0.1:{cluster.Port} " +
                      $"(data in {cluster.DataDirectory})" + (actions.Count > 0 ? $": {string.Join(", ", actions)}." : ".");
        return (cluster.ConnectionString(database), message);
    }

    /// <summary>
    /// The database to use: <c>superset</c>, or with a database per branch (the AppHost's choice, or
    /// <c>Postgres__DatabasePerBranch</c>) <c>superset_&lt;branch&gt;</c> of the checked-out branch (or <c>Postgres__Branch</c>).
    /// </summary>
    public static (string Database, string? Branch) Database(string repositoryRoot, string stateDirectory, Func<string, string?> getVariable)
    {
        var perBranch = getVariable(DatabasePerBranchVariable) is { Length: > 0 } value
            ? bool.TryParse(value, out var parsed) ? parsed : throw new Connection.InvalidConnectionException($"{DatabasePerBranchVariable} must be true or false, not '{value}'.")
            : BranchDatabase.IsChosen(stateDirectory);
        var branch = perBranch ? getVariable(BranchVariable) is { Length: > 0 } given ? given : BranchDatabase.CurrentBranch(repositoryRoot) : null;
        return branch is null ? (DatabaseName, null) : (BranchDatabase.NameFor(DatabaseName, branch), branch);
    }
}
