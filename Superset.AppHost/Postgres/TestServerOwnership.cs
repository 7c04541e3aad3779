using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using Superset.Migrations.LocalServer;

namespace Superset.AppHost.Postgres;

/// <summary>
/// No PostgreSQL server outlives a test process unless it was running before it: a server a test run started (this
/// one, or one killed half-way) is stopped when the test process exits, once for all its tests, which share it
/// meanwhile; unless others still use it then (another test process, or an F5 that came along), in which case the
/// last of them to exit stops it. A server that was running before the tests (the developer's) is left as it is.
/// </summary>
internal static class TestServerOwnership
{
    /// <summary>Who starts a server for tests, in its start record: how a later run tells a server a test run started.</summary>
    public const string Starter = "a test run";

    private static readonly ConcurrentDictionary<string, LocalPostgresCluster> Owned = new(StringComparer.Ordinal);

    static TestServerOwnership() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopOwned();

    /// <summary>Takes the server on when a test run started it (this one or another); a server started otherwise is not ours to stop.</summary>
    public static void Claim(LocalPostgresCluster cluster, ServerStatus status, ILogger logger)
    {
        var startedForTests = status.Action != ServerAction.Reused || status.StartedBy is { StartedBy: Starter };
        if (startedForTests && Owned.TryAdd(cluster.StateDirectory, cluster))
        {
            logger.LogInformation("The server stops when the test process exits (unless another still uses it): it was started for tests");
        }
        else if (!startedForTests)
        {
            logger.LogInformation("The server keeps running after the tests: it was running before them");
        }
    }

    private static void StopOwned()
    {
        foreach (var cluster in Owned.Values)
        {
            try
            {
                if (OtherClients(cluster) is { } others)
                {
                    Console.Error.WriteLine($"Left the tests' PostgreSQL server of {cluster.StateDirectory} running: {others} use it; the last to exit stops it.");
                    continue;
                }

                cluster.StopAsync().GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is LocalServerException or IOException or NpgsqlException or InvalidOperationException or TimeoutException)
            {
                Console.Error.WriteLine($"Could not stop the tests' PostgreSQL server of {cluster.StateDirectory}: {ex.Message}");
            }
        }
    }

    /// <summary>
    /// Who else uses the server now: sessions on databases other than this process's test databases, or test databases
    /// of other test processes that still run. Null when nobody does.
    /// </summary>
    private static string? OtherClients(LocalPostgresCluster cluster)
    {
        var admin = cluster.ConnectionString();
        admin.Pooling = false;
        admin.Timeout = 3;
        admin.CommandTimeout = 3;
        using var connection = new NpgsqlConnection(admin.ConnectionString);
        connection.Open();
        var ours = $"{IsolatedDatabase.Prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}_";
        using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM pg_stat_activity
                    WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname IS NOT NULL AND left(datname, length($1)) <> $1),
                   array(SELECT datname::text FROM pg_database WHERE left(datname, length($2)) = $2 AND left(datname, length($1)) <> $1)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ours });
        command.Parameters.Add(new NpgsqlParameter { Value = IsolatedDatabase.Prefix });
        using var reader = command.ExecuteReader();
        reader.Read();
        var sessions = reader.GetInt64(0);
        var liveTestRuns = reader.GetFieldValue<string[]>(1)
            .Select(TestDatabases.OwnerPid).Where(pid => pid is { } owner && Superset.Migrations.Tools.Processes.IsAlive(owner)).Distinct().Count();
        return sessions > 0 ? $"{sessions} other session(s)" : liveTestRuns > 0 ? $"{liveTestRuns} other test process(es)" : null;
    }
}
