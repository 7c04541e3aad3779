using Npgsql;

namespace Superset.Migrations.Connection;

/// <summary>Creates a database when it is missing: what <c>init</c> and the AppHost's local mode need.</summary>
public static class DatabaseCreator
{
    /// <summary>
    /// A twin created it at the same moment: PostgreSQL says 42P04 when it sees the other's committed row, and 23505
    /// (<c>pg_database_datname_index</c>) when both inserted it before either committed.
    /// </summary>
    public static bool IsCreatedMeanwhile(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation;

    /// <summary>
    /// Creates <paramref name="database"/> through a connection to another database of the same server
    /// (usually <c>postgres</c>); returns false when it was there already.
    /// </summary>
    public static async Task<bool> EnsureAsync(NpgsqlConnection maintenanceConnection, string database, CancellationToken cancellationToken = default)
    {
        if (await SqlCommands.DatabaseExistsAsync(maintenanceConnection, database, cancellationToken))
        {
            return false;
        }

        try
        {
            await SqlCommands.ExecuteAsync(maintenanceConnection, $"CREATE DATABASE {Identifiers.Quote(database)}", cancellationToken: cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (IsCreatedMeanwhile(ex))
        {
            return false; // Created by someone else meanwhile.
        }
    }
}
