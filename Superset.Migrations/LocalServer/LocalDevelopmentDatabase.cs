using Npgsql;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// The database the AppHost provisions in local mode (<c>.data/postgres</c> at the root of the checkout): what the
/// command line uses when no database is configured, starting its server when it is not running.
/// </summary>
public static class LocalDevelopmentDatabase
{
    public const string DatabaseName = "superset";

    /// <summary>The state directory relative to the checkout's root.</summary>
    public static readonly string RelativeStateDirectory = Path.Combine(".data", "postgres");

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

    /// <summary>
    /// Opens the local cluster, creating and starting it when needed, and makes sure the <c>superset</c> database
    /// exists. Returns its connection string and a one-line account of what was done.
    /// </summary>
    public static async Task<(NpgsqlConnectionStringBuilder ConnectionString, string Message)> EnsureAsync(
        string repositoryRoot, CancellationToken cancellationToken = default)
    {
        var binaries = PostgresBinaries.Find()
            ?? throw new InvalidOperationException($"No database is configured and no PostgreSQL binaries were found. {PostgresBinaries.InstallHint}");

        var cluster = await LocalPostgresCluster.OpenAsync(Path.Combine(repositoryRoot, RelativeStateDirectory), binaries, cancellationToken: cancellationToken);
        var actions = new List<string>();
        if (!cluster.IsInitialized)
        {
            await cluster.InitializeAsync(cancellationToken);
            actions.Add("initialized its cluster");
        }

        if (!cluster.IsListening())
        {
            await cluster.StartAsync(cancellationToken);
            actions.Add("started its server");
        }

        if (await cluster.EnsureDatabaseAsync(DatabaseName, cancellationToken))
        {
            actions.Add("created the database");
        }

        var message = $"Using the local development database {DatabaseName} at 127.0.0.1:{cluster.Port} (data in {cluster.DataDirectory})" +
                      (actions.Count > 0 ? $": {string.Join(", ", actions)}." : ".");
        return (cluster.ConnectionString(DatabaseName), message);
    }
}
