using Npgsql;
using Superset.Migrations.Settings;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// The database the AppHost provisions in local mode: what the command line uses when no database is configured,
/// starting the checkout's server when it is not running. The AppHost and the command line share that server, whoever
/// started it, and find it through the same <see cref="PostgresSettings"/>.
/// </summary>
public static class LocalDevelopmentDatabase
{
    public const string DatabaseName = "superset";

    /// <summary>
    /// Opens the checkout's cluster, starting its server when it does not run (it keeps running afterwards, for the next
    /// command and for the AppHost), and makes sure the database exists. Returns its connection string and a one-line
    /// account of what was done.
    /// </summary>
    public static async Task<LocalDatabaseUse> EnsureAsync(
        string checkoutRoot, PostgresSettings settings, CancellationToken cancellationToken = default)
    {
        var cluster = await LocalPostgresCluster.OpenAsync(settings, checkoutRoot, cancellationToken);
        var server = await cluster.EnsureRunningAsync("the command line", cancellationToken: cancellationToken);
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

        var (database, branch) = Database(checkoutRoot, cluster.StateDirectory, settings);
        // A database a command has seen before is taken as there: no session on the server's maintenance database first
        // (a third of a short command's connecting). Gone meanwhile, the command says so and it is made again (Forget).
        if (server.Action == ServerAction.Reused && KnownDatabases.Contains(cluster.StateDirectory, database))
        {
            return Use(checkoutRoot, cluster, database, branch, actions);
        }

        var created = branch is not null
            ? await BranchDatabase.EnsureAsync(cluster, database, BranchDatabase.TemplateFor(cluster.StateDirectory, DatabaseName), cancellationToken)
            : (await cluster.EnsureDatabaseAsync(DatabaseName, cancellationToken: cancellationToken)) is null ? null : "created the database";
        if (created is not null)
        {
            actions.Add(char.ToLowerInvariant(created[0]) + created[1..]);
        }

        KnownDatabases.Add(cluster.StateDirectory, database);
        return Use(checkoutRoot, cluster, database, branch, actions);
    }

    private static LocalDatabaseUse Use(string checkoutRoot, LocalPostgresCluster cluster, string database, string? branch, List<string> actions) =>
        new(cluster.ConnectionString(database), Message(database, branch, cluster, actions), ChangedSomething: actions.Count > 0,
            cluster.PasswordFile, checkoutRoot, cluster.StateDirectory);

    /// <summary>After a command found the database gone: the next one makes sure it exists again.</summary>
    public static void Forget(string checkoutRoot, PostgresSettings settings, string database) =>
        KnownDatabases.Remove(settings.StateDirectory(checkoutRoot), database);

    private static string Message(string database, string? branch, LocalPostgresCluster cluster, List<string> actions) =>
        $"Using the local development database {database}{(branch is null ? "" : $" (git branch {branch})")} at 127.0.0.1:{cluster.Port} " +
        $"(data in {cluster.DataDirectory})" + (actions.Count > 0 ? $": {string.Join(", ", actions)}." : ".");

    /// <summary>
    /// The database to use: <c>superset</c>, or with a database per branch (the AppHost's choice, recorded in the state
    /// directory, or <c>Postgres:DatabasePerBranch</c>) <c>superset_&lt;branch&gt;</c> of the checked-out branch (or <c>Postgres:Branch</c>).
    /// </summary>
    public static (string Database, string? Branch) Database(string checkoutRoot, string stateDirectory, PostgresSettings settings)
    {
        var perBranch = settings.DatabasePerBranch || BranchDatabase.IsChosen(stateDirectory);
        var branch = perBranch ? settings.Branch is { Length: > 0 } given ? given : BranchDatabase.CurrentBranch(checkoutRoot) : null;
        return branch is null ? (DatabaseName, null) : (BranchDatabase.NameFor(DatabaseName, branch), branch);
    }
}

/// <summary>The local development database a command uses, and what it took to have it.</summary>
/// <param name="ChangedSomething">A cluster made, its server started or the database created: the next command would not say the same.</param>
/// <param name="PasswordFile">Where the cluster's generated password is kept.</param>
public sealed record LocalDatabaseUse(
    NpgsqlConnectionStringBuilder ConnectionString, string Message, bool ChangedSomething, string PasswordFile, string CheckoutRoot, string StateDirectory)
{
    /// <summary>
    /// The files whose change may change which server and database a command uses: the cluster's port and data directory,
    /// the state directory (the choice of a database per branch is a file in it) and the branch checked out. Asked for
    /// only when an answer is kept, so no other command reads them.
    /// </summary>
    public IReadOnlyList<string> ChosenBy()
    {
        List<string> files = [ClusterLayout.StatePath(StateDirectory), StateDirectory];
        try
        {
            files.Add(BranchDatabase.HeadFile(CheckoutRoot));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not a git checkout: no branch to follow.
        }

        return files;
    }
}
