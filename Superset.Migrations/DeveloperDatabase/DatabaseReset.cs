using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Migrations.Seeding;

namespace Superset.Migrations.DeveloperDatabase;

/// <summary>What a reset did: the backup it took first, the migrations it applied to the new database, its seed data.</summary>
public sealed record ResetResult(string Database, string? Backup, int Applied, long? Version, SeedRun? Seeded);

/// <summary>
/// <c>reset</c>: the developer's database dropped (its sessions closed) and made again, empty, with the same owner, then
/// migrated to head and seeded. The caller takes the backup first and decides whether the database may be reset.
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

        await MaintenanceDatabase.RecreateAsync(database, name, template: null, cancellationToken);

        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false };
        await using var connection = await DatabaseConnector.OpenAsync(target, cancellationToken: cancellationToken);
        var result = await engine.UpgradeAsync(connection, new UpgradeRequest(), observer, beforeApplying: null, cancellationToken);
        var seeded = seedDataset is null ? null : await SeedRunner.RunAsync(connection, SeedCatalog.Of(engine.Source), seedDataset, engine.Options.Actor, cancellationToken);
        return new ResetResult(name, backup, result.Migrations.Count, result.ToVersion, seeded);
    }
}
