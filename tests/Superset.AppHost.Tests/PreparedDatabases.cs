using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Migrations.LocalServer;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>
/// A database laid out before a stack first runs: migrated up to a version (with the app's migrations or another
/// branch's), then some SQL (rows, or a broken state). On the run's shared server, for a test's stack to start as a
/// copy of (<c>--Postgres:TestDatabase=&lt;name&gt;</c>); or as the <c>superset</c> database of a server of the test's own.
/// </summary>
public static class PreparedDatabases
{
    /// <summary>A new database on the run's shared server; returns its name, for <c>--Postgres:TestDatabase</c>.</summary>
    public static async Task<string> OnSharedServerAsync(long? version, string? sql = null, MigrationSource? source = null)
    {
        var server = await TestPostgresServer.GetAsync();
        var name = $"prepared_{Guid.NewGuid():N}"[..30];
        await DatabaseCreator.EnsureAsync(server.ConnectionString("postgres"), name);
        await LayOutAsync(server.ConnectionString(name), version, sql, source);
        return name;
    }

    /// <summary>The <c>superset</c> database of a server of the test's own, which is stopped again afterwards.</summary>
    public static async Task OnOwnServerAsync(string stateDirectory, int port, long? version, string? sql = null, MigrationSource? source = null)
    {
        var cluster = await LocalPostgresCluster.OpenAsync(stateDirectory, PostgresBinaries.Find()!, port);
        await cluster.EnsureRunningAsync("tests");
        try
        {
            await cluster.EnsureDatabaseAsync(LocalDevelopmentDatabase.DatabaseName);
            await LayOutAsync(cluster.ConnectionString(LocalDevelopmentDatabase.DatabaseName), version, sql, source);
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    private static async Task LayOutAsync(NpgsqlConnectionStringBuilder connectionString, long? version, string? sql, MigrationSource? source)
    {
        // Unpooled: no idle session may be left on a database that is copied (CREATE DATABASE … TEMPLATE refuses it).
        connectionString.Pooling = false;
        await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync();
        if (version is not null)
        {
            await new MigrationEngine(source ?? MigrationSource.App).UpgradeAsync(connection, new UpgradeRequest(Target: version));
        }

        if (sql is not null)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
