using Npgsql;

namespace Superset.Migrations.Connection;

/// <summary>The few ways this code sends SQL without reading rows back, in one place.</summary>
public static class SqlCommands
{
    /// <summary>
    /// Runs <paramref name="sql"/> (one statement or several) and returns the rows it affected. No client-side timeout:
    /// a long migration or restore is bounded by the server's statement_timeout, if at all.
    /// </summary>
    public static async Task<int> ExecuteAsync(
        NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether the server has a database of that name.</summary>
    public static async Task<bool> DatabaseExistsAsync(NpgsqlConnection connection, string database, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
