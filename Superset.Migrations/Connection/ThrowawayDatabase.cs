using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.Migrations.Connection;

/// <summary>
/// A new, empty database of the same server, dropped afterwards whatever happens: where autogenerate, lint, drift,
/// adoption and <c>--sql</c> build the schema migrations produce without touching the real one.
/// </summary>
public static class ThrowawayDatabase
{
    public static async Task<T> UseAsync<T>(NpgsqlConnectionStringBuilder server, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken = default)
    {
        var prefix = Prefix(server.Database);
        var name = $"{prefix}_shadow_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 20)];
        var admin = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false };
        await using var adminConnection = await DatabaseConnector.OpenAsync(admin, cancellationToken: cancellationToken);
        try
        {
            await SqlCommands.ExecuteAsync(adminConnection, $"CREATE DATABASE {Identifiers.Quote(name)}", cancellationToken: cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new MigrationException(MigrationErrorKind.Failed,
                $"This builds the migrations' schema in a throwaway database, and {admin.Username} may not create one: grant it CREATEDB.");
        }

        try
        {
            var shadow = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name };
            await using var connection = await DatabaseConnector.OpenAsync(shadow, cancellationToken: cancellationToken);
            return await work(connection);
        }
        finally
        {
            await SqlCommands.ExecuteAsync(adminConnection, $"DROP DATABASE IF EXISTS {Identifiers.Quote(name)} WITH (FORCE)", cancellationToken: CancellationToken.None);
        }
    }

    private static string Prefix(string? database) => (database ?? "db").Length > 30 ? database![..30] : database ?? "db";
}
