using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.Migrations.Connection;

/// <summary>
/// What is done to whole databases through the server's maintenance database (<c>postgres</c>). Nothing here drops or
/// replaces a database in one step: a new content is made under a work database's name first (<see cref="WorkDatabases"/>),
/// and put in place by renames in one transaction (<see cref="SwapAsync"/>), so that a refused copy, a cancel or a kill
/// at any moment leaves every database that was there, under its own name.
/// </summary>
public static class MaintenanceDatabase
{
    /// <summary>How long a copy or a swap keeps closing the sessions of the databases it needs alone, which the app may open again.</summary>
    private static readonly TimeSpan SessionsWait = TimeSpan.FromSeconds(10);

    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlConnectionStringBuilder database, CancellationToken cancellationToken)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres", Pooling = false };
        return await DatabaseConnector.OpenAsync(maintenance, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Copies <paramref name="source"/> to the new work database <paramref name="copy"/>. PostgreSQL copies only a
    /// database nobody is connected to: its sessions (the web app's pool, say) are closed first, and again for as long as
    /// <see cref="SessionsWait"/> when they come back before the copy starts; returns how many were closed.
    /// </summary>
    public static async Task<int> CopyAsync(NpgsqlConnection connection, string source, string copy, CancellationToken cancellationToken)
    {
        RequireWorkDatabase(copy);
        NpgsqlConnection.ClearAllPools();
        var closed = 0;
        var deadline = DateTime.UtcNow + SessionsWait;
        while (true)
        {
            closed += await CloseSessionsAsync(connection, [source], cancellationToken);
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
                throw new MigrationException(MigrationErrorKind.Failed,
                    $"Could not copy {source}: sessions kept opening it for {SessionsWait.TotalSeconds:0} s ({ex.MessageText}). Stop what uses it (the app, a psql) and try again; nothing was changed.", ex);
            }
        }
    }

    /// <summary>Makes the new, empty work database <paramref name="name"/>, owned by <paramref name="owner"/> when given.</summary>
    public static async Task CreateEmptyAsync(NpgsqlConnection connection, string name, string? owner, CancellationToken cancellationToken)
    {
        RequireWorkDatabase(name);
        try
        {
            await SqlCommands.ExecuteAsync(connection,
                $"CREATE DATABASE {Identifiers.Quote(name)}{(owner is null ? "" : $" OWNER {Identifiers.Quote(owner)}")}", cancellationToken: cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
        {
            // The empty database is copied from template1, which somebody is connected to.
            throw new MigrationException(MigrationErrorKind.Failed,
                $"Could not create a database: template1, which every new database is copied from, is in use ({ex.MessageText}). Close the session connected to template1 and try again; nothing was changed.", ex);
        }
    }

    /// <summary>
    /// Renames databases in one transaction, closing their sessions first: each pair (from, to) in order, and every
    /// comment given set on the database named so afterwards (null removes it). Either every rename happens, or none.
    /// </summary>
    public static async Task SwapAsync(
        NpgsqlConnection connection, IReadOnlyList<(string From, string To)> renames, IReadOnlyDictionary<string, string?> comments, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        var deadline = DateTime.UtcNow + SessionsWait;
        var names = renames.Select(r => r.From).ToArray();
        while (true)
        {
            await CloseSessionsAsync(connection, names, cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                foreach (var (from, to) in renames)
                {
                    await SqlCommands.ExecuteAsync(connection, $"ALTER DATABASE {Identifiers.Quote(from)} RENAME TO {Identifiers.Quote(to)}", transaction, cancellationToken);
                }

                foreach (var (name, comment) in comments)
                {
                    await SqlCommands.ExecuteAsync(connection, $"COMMENT ON DATABASE {Identifiers.Quote(name)} IS {(comment is null ? "NULL" : Literal(comment))}", transaction, cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                if (DateTime.UtcNow >= deadline)
                {
                    throw new MigrationException(MigrationErrorKind.Failed,
                        $"Could not put the new database in place: sessions kept opening {string.Join(" or ", names)} for {SessionsWait.TotalSeconds:0} s ({ex.MessageText}). Stop what uses it and try again; every database is as it was.", ex);
                }

                await Task.Delay(200, cancellationToken);
            }
        }
    }

    /// <summary>
    /// PostgreSQL 15's default copy writes every block through the WAL; a file copy (what older servers always did)
    /// copied 1.2 GB in 1.3 s where that took 2.9 to 3.7 s, and a small database as fast (0.06 s).
    /// </summary>
    private static string FileCopy(NpgsqlConnection connection) => connection.PostgreSqlVersion.Major >= 15 ? " STRATEGY FILE_COPY" : "";

    public static async Task<string?> OwnerAsync(NpgsqlConnection connection, string database, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<int> CloseSessionsAsync(NpgsqlConnection connection, string[] databases, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = databases });
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static void RequireWorkDatabase(string name)
    {
        if (!WorkDatabases.IsWorkDatabase(name))
        {
            throw new InvalidOperationException($"{name} is not a work database: new content is made under a work database's name first.");
        }
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
