using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Migrations.Schema;

namespace Superset.Migrations.Autogenerate;

/// <summary>
/// The schema that migrations produce, read from a throwaway database on the same server: created, migrated, read
/// from the catalog and dropped, also when anything fails on the way.
/// </summary>
public static class ShadowDatabase
{
    public static Task<DatabaseSchema> ReadSchemaAsync(
        NpgsqlConnectionStringBuilder server, MigrationSource migrations, CancellationToken cancellationToken = default) =>
        UseAsync(server, async connection =>
        {
            var engine = new MigrationEngine(migrations, new MigrationEngineOptions { Actor = MigrationEngineOptions.DefaultActor("autogenerate") });
            await engine.UpgradeAsync(connection, new UpgradeRequest(), cancellationToken: cancellationToken);
            return await CatalogReader.ReadAsync(connection, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> on a new, empty database of the same server, dropped afterwards whatever happens:
    /// where autogenerate and lint build the schema the migrations produce.
    /// </summary>
    public static async Task<T> UseAsync<T>(NpgsqlConnectionStringBuilder server, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken = default)
    {
        var name = $"{Prefix(server.Database)}_shadow_{Guid.NewGuid():N}"[..Math.Min(63, Prefix(server.Database).Length + 20)];
        var admin = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false };
        await using var adminConnection = new NpgsqlConnection(admin.ConnectionString);
        await adminConnection.OpenAsync(cancellationToken);
        try
        {
            await SqlCommands.ExecuteAsync(adminConnection, $"CREATE DATABASE {Identifiers.Quote(name)}", cancellationToken: cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new MigrationException(MigrationErrorKind.Failed,
                $"Autogenerate and lint build the migrations' schema in a throwaway database, and {admin.Username} may not create one: grant it CREATEDB.");
        }

        try
        {
            var shadow = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name };
            await using var connection = new NpgsqlConnection(shadow.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return await work(connection);
        }
        finally
        {
            await SqlCommands.ExecuteAsync(adminConnection, $"DROP DATABASE IF EXISTS {Identifiers.Quote(name)} WITH (FORCE)", cancellationToken: CancellationToken.None);
        }
    }

    private static string Prefix(string? database) => (database ?? "db").Length > 30 ? database![..30] : database ?? "db";
}
