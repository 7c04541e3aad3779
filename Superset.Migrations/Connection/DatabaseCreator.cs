using Npgsql;

namespace Superset.Migrations.Connection;

/// <summary>Creates a database when it is missing: what <c>init</c> and the AppHost's local mode need.</summary>
public static class DatabaseCreator
{
    /// <summary>
    /// Creates <paramref name="database"/> through a connection to another database of the same server
    /// (usually <c>postgres</c>); returns false when it was there already.
    /// </summary>
    public static async Task<bool> EnsureAsync(NpgsqlConnection maintenanceConnection, string database, CancellationToken cancellationToken = default)
    {
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", maintenanceConnection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = database });
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return false;
            }
        }

        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(database)}", maintenanceConnection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            return false; // Created by someone else meanwhile.
        }
    }

    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
