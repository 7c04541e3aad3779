using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.Migrations.Connection;

/// <summary>
/// A new database of the same server, dropped afterwards whatever happens: where autogenerate, lint, drift, adoption and
/// <c>--sql</c> build the schema migrations produce without touching the real one. It stays throwaway: it has the
/// extensions of the database it stands for before anything runs (<see cref="ThrowawayExtensions"/>), what a migration
/// would do there to the whole server is not run (<see cref="ConfinedConnections"/>), and one left by a killed run is
/// dropped by the next (<see cref="WorkDatabases"/>).
/// </summary>
public static class ThrowawayDatabase
{
    public static async Task<T> UseAsync<T>(NpgsqlConnectionStringBuilder server, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken = default)
    {
        var name = WorkDatabases.NewName();
        var admin = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false };
        await using var adminConnection = await DatabaseConnector.OpenAsync(admin, cancellationToken: cancellationToken);
        await WorkDatabases.DropAbandonedAsync(adminConnection, cancellationToken);
        try
        {
            await SqlCommands.ExecuteAsync(adminConnection, $"CREATE DATABASE {Identifiers.Quote(name)}", cancellationToken: cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new MigrationException(MigrationErrorKind.Failed,
                $"This builds the migrations' schema in a throwaway database, and {admin.Username} may not create one: grant it CREATEDB.");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
        {
            throw new MigrationException(MigrationErrorKind.Failed,
                $"This builds the migrations' schema in a throwaway database, which PostgreSQL copies from template1, and template1 is in use ({ex.MessageText}): close the session connected to template1 and try again.");
        }

        try
        {
            var extensions = await ThrowawayExtensions.ReadAsync(adminConnection, cancellationToken);
            var shadow = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name };
            await using var connection = await DatabaseConnector.OpenAsync(shadow, cancellationToken: cancellationToken);
            await ThrowawayExtensions.CreateAsync(connection, extensions, admin.Database, cancellationToken);
            ConfinedConnections.Confine(connection);
            try
            {
                return await work(connection);
            }
            catch (Exception ex) when (ex is NpgsqlException or MigrationException or InvalidOperationException)
            {
                if (await WorkDatabaseExistsAsync(adminConnection, name))
                {
                    throw;
                }

                throw new MigrationException(MigrationErrorKind.Failed,
                    $"The throwaway database {name} was dropped while it was in use (by another session): nothing of yours was changed; run the command again.", ex);
            }
        }
        finally
        {
            await WorkDatabases.TryDropAsync(adminConnection, name);
        }
    }

    private static async Task<bool> WorkDatabaseExistsAsync(NpgsqlConnection admin, string name)
    {
        try
        {
            return await SqlCommands.DatabaseExistsAsync(admin, name, CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            return true; // Unknown: the original error says more.
        }
    }
}
