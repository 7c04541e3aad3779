using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using Superset.AppHost.Workers;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Seeding;
using Superset.Migrations.Settings;

namespace Superset.AppHost.Postgres;

/// <summary>
/// The databases of tests on a checkout's server: each a copy of a template migrated to head and seeded, as a fresh F5
/// leaves a database (a file copy, so the steps then have nothing to do), empty, or a copy of a database the test
/// prepared; dropped when the test's AppHost stops.
/// One test process at a time prepares the template (an advisory lock on the server), and databases a killed run left
/// behind (their process is gone) are dropped then too.
/// </summary>
internal static class TestDatabases
{
    public const string Template = "superset_test_template";

    /// <summary>How long a test waits for another test process preparing the template.</summary>
    private static readonly TimeSpan TemplateWait = TimeSpan.FromMinutes(3);

    private static readonly long LockKey = MigrationLock.KeyFor("superset.test-template");

    public static async Task<string> CreateAsync(LocalPostgresCluster cluster, IsolatedDatabase database, ILogger logger, CancellationToken cancellationToken)
    {
        var admin = cluster.ConnectionString();
        admin.Pooling = false;
        await using var connection = await DatabaseConnector.OpenAsync(admin, cancellationToken: cancellationToken);
        await SqlCommands.ExecuteAsync(connection, $"SET lock_timeout = {(long)TemplateWait.TotalMilliseconds}; SELECT pg_advisory_lock({LockKey}); RESET lock_timeout",
            cancellationToken: cancellationToken);
        try
        {
            await DropLeftoversAsync(connection, logger, cancellationToken);
            var source = database.StartsAs switch
            {
                PostgresSettings.EmptyTestDatabase => null,
                PostgresSettings.MigratedTestDatabase => await PrepareTemplateAsync(cluster, connection, logger, cancellationToken),
                var copy => copy,
            };
            await SqlCommands.ExecuteAsync(connection,
                $"CREATE DATABASE {Identifiers.Quote(database.Name)}{(source is null ? "" : $" TEMPLATE {Identifiers.Quote(source)}")}", cancellationToken: cancellationToken);
            return source is null ? $"Created database {database.Name} for this test, empty" : $"Created database {database.Name} for this test, as a copy of {source}";
        }
        finally
        {
            await SqlCommands.ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockKey})", cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>Drops a test's database, sessions and all; bounded, since the AppHost waits for it while it stops.</summary>
    public static void Drop(LocalPostgresCluster cluster, string database, ILogger logger)
    {
        try
        {
            var admin = cluster.ConnectionString();
            admin.Pooling = false;
            admin.Timeout = 10;
            using var connection = new NpgsqlConnection(admin.ConnectionString);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Identifiers.Quote(database)} WITH (FORCE)", connection) { CommandTimeout = 10 };
            drop.ExecuteNonQuery();
            RemoveBackups(database);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            // The next test run drops it (its process is gone by then).
            logger.LogWarning("Could not drop the test database {Database}: {Reason}", database, ex.Message);
        }
    }

    /// <summary>
    /// The template at head: made (or made again, when the code's migrations moved on in a way an upgrade cannot follow)
    /// by the worker's own command line, so that the AppHost itself never migrates.
    /// </summary>
    private static async Task<string> PrepareTemplateAsync(LocalPostgresCluster cluster, NpgsqlConnection admin, ILogger logger, CancellationToken cancellationToken)
    {
        var template = cluster.ConnectionString(Template);
        template.Pooling = false;
        if (await SqlCommands.DatabaseExistsAsync(admin, Template, cancellationToken))
        {
            await using (var connection = await DatabaseConnector.OpenAsync(template, cancellationToken: cancellationToken))
            {
                if ((await StartupCheck.RunAsync(new MigrationEngine(MigrationSource.App), connection, cancellationToken, SeedCatalog.DefaultDataset)).Work == StartupWork.None)
                {
                    return Template;
                }
            }

            await SqlCommands.ExecuteAsync(admin, $"DROP DATABASE {Identifiers.Quote(Template)} WITH (FORCE)", cancellationToken: cancellationToken);
        }

        logger.LogInformation("Migrating the tests' template database {Template} to head and seeding it (once, then each test copies it)", Template);
        await SqlCommands.ExecuteAsync(admin, $"CREATE DATABASE {Identifiers.Quote(Template)}", cancellationToken: cancellationToken);
        var environment = new Dictionary<string, string?> { [SettingsReader.Variable("ConnectionStrings:" + ConnectionResolver.ConnectionName)] = template.ConnectionString };
        string[][] commands = [["upgrade", "--no-backup"], ["seed", "--force"]];
        foreach (var command in commands)
        {
            var run = await WorkerProgram.RunCommandLineAsync(command, environment, cancellationToken);
            if (!run.Succeeded)
            {
                await SqlCommands.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Identifiers.Quote(Template)} WITH (FORCE)", cancellationToken: CancellationToken.None);
                throw new LocalServerException($"The tests' template database could not be made ({command[0]}, exit {run.ExitCode}): {run.LastError}");
            }
        }

        return Template;
    }

    /// <summary>Databases of test processes that are gone (a run killed half-way): nobody else will drop them.</summary>
    private static async Task DropLeftoversAsync(NpgsqlConnection admin, ILogger logger, CancellationToken cancellationToken)
    {
        var leftovers = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE $1", admin))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = IsolatedDatabase.Prefix.Replace("_", "\\_", StringComparison.Ordinal) + "%" });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                if (OwnerPid(name) is { } owner && !Superset.Migrations.Tools.Processes.IsAlive(owner))
                {
                    leftovers.Add(name);
                }
            }
        }

        foreach (var leftover in leftovers)
        {
            logger.LogInformation("Dropping {Database}, left by a test run that is gone", leftover);
            await SqlCommands.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Identifiers.Quote(leftover)} WITH (FORCE)", cancellationToken: cancellationToken);
            RemoveBackups(leftover);
        }
    }

    /// <summary>The test process a test database belongs to (the pid in its name); null for one named otherwise.</summary>
    public static int? OwnerPid(string database) =>
        database.StartsWith(IsolatedDatabase.Prefix, StringComparison.Ordinal)
        && int.TryParse(database[IsolatedDatabase.Prefix.Length..].Split('_')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    private static void RemoveBackups(string database)
    {
        var directory = IsolatedDatabase.BackupDirectoryOf(database);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
