using Npgsql;
using Superset.Migrations.LocalServer;

namespace Superset.AppHost.Tests;

/// <summary>The tests' databases on a server (<c>superset_test_…</c>, the template included), by name.</summary>
public static class IsolatedDatabaseNames
{
    public static async Task<List<string>> OnAsync(LocalPostgresCluster cluster)
    {
        var connectionString = cluster.ConnectionString();
        connectionString.Pooling = false;
        await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'superset\\_test\\_%' ORDER BY datname", connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
