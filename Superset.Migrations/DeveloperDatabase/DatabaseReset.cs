using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Migrations.Seeding;

namespace Superset.Migrations.DeveloperDatabase;

/// <summary>What a reset did: the backup it took first, the migrations it applied to the new database, its seed data.</summary>
public sealed record ResetResult(string Database, string? Backup, int Applied, long? Version, SeedRun? Seeded);

/// <summary>
/// <c>reset</c>: a new database made beside the developer's (under a work database's name), migrated to head and
/// seeded there, then put in its place in one transaction of renames, holding the old one's migration lock so that no
/// upgrade runs under it; the old one is dropped afterwards. Until that transaction, the database is untouched: a failed
/// migration, a refused seed, a cancel or a kill leave it as it was. The caller takes the backup first and decides
/// whether the database may be reset.
/// </summary>
public static class DatabaseReset
{
    public static async Task<ResetResult> ResetAsync(
        NpgsqlConnectionStringBuilder database, MigrationEngine engine, string? seedDataset, string? backup,
        IMigrationObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var name = database.Database ?? throw new InvalidConnectionException("The connection names no database to reset.");
        if (name is "postgres" or "template0" or "template1")
        {
            throw new MigrationException(MigrationErrorKind.Refused, $"{name} is the server's own database: reset works on an application's database.");
        }

        await using var admin = await MaintenanceDatabase.OpenAsync(database, cancellationToken);
        await WorkDatabases.DropAbandonedAsync(admin, cancellationToken);
        await using var hold = await DatabaseHold.TakeAsync(database, engine.Options.LockWait, "reset", cancellationToken);
        var making = WorkDatabases.NewName();
        var aside = WorkDatabases.NewName();
        try
        {
            await MaintenanceDatabase.CreateEmptyAsync(admin, making, await MaintenanceDatabase.OwnerAsync(admin, name, cancellationToken), cancellationToken);
            MigrationRunResult result;
            SeedRun? seeded;
            var target = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = making, Pooling = false };
            await using (var connection = await DatabaseConnector.OpenAsync(target, cancellationToken: cancellationToken))
            {
                result = await engine.UpgradeAsync(connection, new UpgradeRequest(), observer, beforeApplying: null, cancellationToken);
                seeded = seedDataset is null ? null : await SeedRunner.RunAsync(connection, SeedCatalog.Of(engine.Source), seedDataset, engine.Options.Actor, cancellationToken);
            }

            List<(string, string)> renames = hold.Exists ? [(name, aside), (making, name)] : [(making, name)];
            await MaintenanceDatabase.SwapAsync(admin, renames, new Dictionary<string, string?>(), cancellationToken);
            return new ResetResult(name, backup, result.Migrations.Count, result.ToVersion, seeded);
        }
        finally
        {
            await WorkDatabases.TryDropAsync(admin, making);
            await WorkDatabases.TryDropAsync(admin, aside);
        }
    }
}
