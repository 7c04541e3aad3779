using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Migrations.Schema;

namespace Superset.Migrations.Autogenerate;

/// <summary>
/// The schema that migrations produce, read from a throwaway database on the same server: created, migrated, read
/// from the catalog and dropped, also when anything fails on the way (<see cref="ThrowawayDatabase"/>).
/// </summary>
public static class ShadowDatabase
{
    public static Task<DatabaseSchema> ReadSchemaAsync(
        NpgsqlConnectionStringBuilder server, MigrationSource migrations, CancellationToken cancellationToken = default) =>
        ThrowawayDatabase.UseAsync(server, async connection =>
        {
            var engine = new MigrationEngine(migrations, new MigrationEngineOptions { Actor = MigrationEngineOptions.DefaultActor("autogenerate") });
            await engine.UpgradeAsync(connection, UpgradeRequest.Replay(), cancellationToken: cancellationToken);
            return await CatalogReader.ReadAsync(connection, cancellationToken);
        }, cancellationToken);
}
