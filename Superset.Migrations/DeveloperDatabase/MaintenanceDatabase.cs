using Npgsql;
using Superset.Migrations.Connection;

namespace Superset.Migrations.DeveloperDatabase;

/// <summary>
/// What is done to a whole database through the server's maintenance database (<c>postgres</c>): making it again,
/// empty or as a copy (keeping its owner), copying it while its own sessions are closed, dropping it.
/// </summary>
internal static class MaintenanceDatabase
{
    /// <summary>How long a copy keeps closing the sessions of the database it copies, which the app may open again.</summary>
    private static readonly TimeSpan CopyWait = TimeSpan.FromSeconds(10);

    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlConnectionStringBuilder database, CancellationToken cancellationToken)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres", Pooling = false };
        return await DatabaseConnector.OpenAsync(maintenance, cancellationToken: cancellationToken);
    }

    /// <summary>Drops <paramref name="name"/> (closing its sessions) and makes it again, empty or as a copy of <paramref name="template"/>, with the owner it had.</summary>
    public static async Task RecreateAsync(NpgsqlConnectionStringBuilder server, string name, string? template, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = await OpenAsync(server, cancellationToken);
        var owner = await OwnerAsync(connection, name, cancellationToken);
        await SqlCommands.ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {Identifiers.Quote(name)} WITH (FORCE)", cancellationToken: cancellationToken);
        await SqlCommands.ExecuteAsync(connection,
            $"CREATE DATABASE {Identifiers.Quote(name)}{(template is null ? "" : $" TEMPLATE {Identifiers.Quote(template)}{FileCopy(connection)}")}{(owner is null ? "" : $" OWNER {Identifiers.Quote(owner)}")}",
            cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Copies <paramref name="source"/> to a new database <paramref name="copy"/>. PostgreSQL copies only a database
    /// nobody is connected to: its sessions (the web app's pool, say) are closed first, and again for as long as
    /// <see cref="CopyWait"/> when they come back before the copy starts; returns how many were closed.
    /// </summary>
    public static async Task<int> CopyAsync(NpgsqlConnection connection, string source, string copy, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        var closed = 0;
        var deadline = DateTime.UtcNow + CopyWait;
        while (true)
        {
            closed += await CloseSessionsAsync(connection, source, cancellationToken);
            try
            {
                await SqlCommands.ExecuteAsync(connection, $"CREATE DATABASE {Identifiers.Quote(copy)} TEMPLATE {Identifiers.Quote(source)}{FileCopy(connection)}", cancellationToken: cancellationToken);
                return closed;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
            {
                throw new TimeoutException($"Could not copy {source}: new sessions kept opening it for {CopyWait.TotalSeconds:0} s ({ex.MessageText}). Stop what uses it and try again.", ex);
            }
        }
    }

    /// <summary>
    /// PostgreSQL 15's default copy writes every block through the WAL; a file copy (what older servers always did)
    /// copied 1.2 GB in 1.3 s where that took 2.9 to 3.7 s, and a small database as fast (0.06 s).
    /// </summary>
    private static string FileCopy(NpgsqlConnection connection) => connection.PostgreSqlVersion.Major >= 15 ? " STRATEGY FILE_COPY" : "";

    public static Task DropAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken) =>
        SqlCommands.ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {Identifiers.Quote(name)} WITH (FORCE)", cancellationToken: cancellationToken);

    private static async Task<int> CloseSessionsAsync(NpgsqlConnection connection, string database, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<string?> OwnerAsync(NpgsqlConnection connection, string database, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
