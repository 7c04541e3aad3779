using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;

namespace Superset.Migrations.Seeding;

/// <summary>What a run of a dataset did: the seeds it ran now, and those a database already had.</summary>
public sealed record SeedRun(string Dataset, IReadOnlyList<string> Applied, IReadOnlyList<string> AlreadyApplied)
{
    public string Describe() =>
        Applied.Count == 0
            ? $"Seed data '{Dataset}': nothing to add ({(AlreadyApplied.Count == 0 ? "the dataset has no seeds" : $"{AlreadyApplied.Count} seed(s) ran before")})"
            : $"Seed data '{Dataset}': ran {string.Join(", ", Applied)}{(AlreadyApplied.Count == 0 ? "" : $"; {AlreadyApplied.Count} ran before")}";
}

/// <summary>
/// Runs a dataset's seeds that a database has not had: each in a transaction that first records it in
/// <c>migrations.seeds</c> (so that a second run, or one at the same moment, finds it there and adds nothing) and
/// commits its rows with the record, or nothing at all when it fails.
/// </summary>
public static class SeedRunner
{
    private const string Table = "migrations.seeds";

    public static async Task<SeedRun> RunAsync(NpgsqlConnection connection, SeedCatalog catalog, string dataset, string actor, CancellationToken cancellationToken = default)
    {
        catalog.Require(dataset);
        using var activity = Telemetry.MigrationTelemetry.ActivitySource.StartActivity("seed");
        activity?.SetTag(Telemetry.MigrationTelemetry.Attributes.SeedDataset, dataset);
        // IF NOT EXISTS does not hold against a twin creating the same table at the same moment (23505 on pg_type):
        // the first seed of two runs at once is made under a lock of the transaction, the second then finds it.
        await using (var create = await connection.BeginTransactionAsync(cancellationToken))
        {
            await SqlCommands.ExecuteAsync(connection,
                $"SELECT pg_advisory_xact_lock({Engine.MigrationLock.KeyFor("seeds")}); CREATE SCHEMA IF NOT EXISTS migrations; CREATE TABLE IF NOT EXISTS {Table} (name text PRIMARY KEY, dataset text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), applied_by text)",
                create, cancellationToken);
            await create.CommitAsync(cancellationToken);
        }
        var applied = new List<string>();
        var before = new List<string>();
        foreach (var seed in catalog.In(dataset))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var record = new NpgsqlCommand(
                $"INSERT INTO {Table} (name, dataset, applied_by) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING", connection))
            {
                record.Parameters.Add(new NpgsqlParameter { Value = seed.Name });
                record.Parameters.Add(new NpgsqlParameter { Value = dataset });
                record.Parameters.Add(new NpgsqlParameter { Value = actor });
                if (await record.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    before.Add(seed.Name);
                    await transaction.RollbackAsync(cancellationToken);
                    continue;
                }
            }

            try
            {
                await seed.RunAsync(connection, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Whatever the seed's own code threw: named with the seed, never an "unexpected error".
                throw new MigrationException(MigrationErrorKind.Failed,
                    $"Seed '{seed.Name}' failed, and added nothing: {(ex is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : MigrationCodeException.Describe(ex))}. Fix the seed's code and run 'seed' again.", ex);
            }

            await transaction.CommitAsync(cancellationToken);
            applied.Add(seed.Name);
        }

        activity?.SetTag(Telemetry.MigrationTelemetry.Attributes.SeedApplied, string.Join(",", applied));
        return new SeedRun(dataset, applied, before);
    }

    /// <summary>The dataset's seeds the database has not had (all of them when nothing was ever seeded).</summary>
    public static async Task<IReadOnlyList<string>> PendingAsync(NpgsqlConnection connection, SeedCatalog catalog, string dataset, CancellationToken cancellationToken = default)
    {
        var names = catalog.In(dataset).Select(s => s.Name).ToArray();
        if (names.Length == 0)
        {
            return [];
        }

        await using (var exists = new NpgsqlCommand($"SELECT to_regclass('{Table}') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return names;
            }
        }

        await using var command = new NpgsqlCommand($"SELECT ARRAY(SELECT n FROM unnest($1::text[]) n WHERE n NOT IN (SELECT name FROM {Table}))", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = names });
        return (string[])(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
