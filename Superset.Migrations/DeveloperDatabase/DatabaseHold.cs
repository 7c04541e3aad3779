using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;

namespace Superset.Migrations.DeveloperDatabase;

/// <summary>
/// The migration lock of a database, held by a command that is about to replace it (<c>reset</c>, <c>snapshot
/// restore</c>): no upgrade, downgrade or other replacement runs under it meanwhile; one that runs now is waited for
/// within a bound, then the command is refused in one line naming who holds the lock. A database that does not exist
/// has nothing to hold.
/// </summary>
public sealed class DatabaseHold : IAsyncDisposable
{
    private readonly NpgsqlConnection? _connection;
    private readonly MigrationLock? _lock;

    private DatabaseHold(NpgsqlConnection? connection, MigrationLock? held)
    {
        _connection = connection;
        _lock = held;
    }

    /// <summary>Whether the database exists (and so is held).</summary>
    public bool Exists => _connection is not null;

    public static async Task<DatabaseHold> TakeAsync(NpgsqlConnectionStringBuilder database, TimeSpan wait, string command, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await DatabaseConnector.OpenAsync(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }, cancellationToken: cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return new DatabaseHold(null, null);
        }

        try
        {
            var held = await MigrationLock.AcquireAsync(connection, wait, onWaiting: null, cancellationToken);
            return new DatabaseHold(connection, held);
        }
        catch (MigrationException ex) when (ex.Kind == MigrationErrorKind.LockTimeout)
        {
            await connection.DisposeAsync();
            throw new MigrationException(MigrationErrorKind.LockTimeout, $"{command} was not run: {ex.Message} Wait for that run to end, then try again; nothing was changed.", ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_lock is not null)
        {
            await _lock.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
