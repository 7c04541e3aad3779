using System.Text;
using FluentMigrator;
using Npgsql;
using Superset.Migrations.Autogenerate;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Migrations.Schema;

namespace Superset.Migrations.Adoption;

/// <summary>What <c>adopt</c> did: the migrations it recorded as applied, and from what.</summary>
/// <param name="From">What said which migrations the database has: another runner's table, or the baseline given.</param>
public sealed record AdoptionResult(IReadOnlyList<KnownMigration> Recorded, string From, AppliedMigration? Current);

/// <summary>
/// Takes over a database this engine did not migrate: one FluentMigrator's runner migrated (its <c>VersionInfo</c> says
/// which migrations it has), one of the Flask-Migrate era (<c>alembic_version</c>) or any other, with a baseline version
/// given. The live schema is compared with the schema those migrations produce in a throwaway database, the same
/// comparison <c>check</c> makes for drift: equal, they are recorded in <c>migrations.history</c> (applied <c>adopt</c>,
/// with today's checksums and their Down() SQL) under the migration lock, in one transaction; different, the differences
/// are listed and nothing is written. The other runner's table is left as it is.
/// </summary>
public sealed class DatabaseAdoption(MigrationEngine engine)
{
    /// <summary>Tables of other runners: never part of the comparison.</summary>
    private static readonly HashSet<string> VersionTables = [FluentMigratorVersionTable.Table, "alembic_version"];

    /// <param name="server">The database's connection string, for the throwaway database on the same server.</param>
    /// <param name="baseline">For a database without FluentMigrator's table: the migration of this code its schema corresponds to.</param>
    public async Task<AdoptionResult> AdoptAsync(
        NpgsqlConnection connection, NpgsqlConnectionStringBuilder server, long? baseline, CancellationToken cancellationToken = default)
    {
        await using var migrationLock = await MigrationLock.AcquireAsync(connection, engine.Options.LockWait, null, cancellationToken);
        var plan = await engine.PlanAsync(connection, cancellationToken);
        if (plan.Applied.Count > 0)
        {
            throw new MigrationException(MigrationErrorKind.Refused,
                $"Nothing to adopt: this engine migrates the database already (it is at {plan.Current!.Version} ({plan.Current.Description}); see 'status').");
        }

        var (versions, from) = Choose(plan, baseline);
        var expected = await ThrowawayDatabase.UseAsync(server, async shadow =>
        {
            var replay = new MigrationEngine(engine.Source.Only(versions.Select(m => m.Version)), engine.Options with { LockTimeout = null });
            await replay.UpgradeAsync(shadow, UpgradeRequest.Replay(), cancellationToken: cancellationToken);
            return await CatalogReader.ReadAsync(shadow, cancellationToken);
        }, cancellationToken);

        var differences = SchemaDrift.Describe(WithoutVersionTables(expected), WithoutVersionTables(await CatalogReader.ReadAsync(connection, cancellationToken)));
        if (differences.Count > 0)
        {
            throw new MigrationException(MigrationErrorKind.Refused,
                $"Not adopted, nothing was written: the schema is not what this code's {versions.Count} migration(s) ({from}) produce: " +
                $"{string.Join("; ", differences.Take(10))}{(differences.Count > 10 ? $"; and {differences.Count - 10} more" : "")}. " +
                "Bring the database (or the code) in line, then adopt again.");
        }

        await RecordAsync(connection, plan, versions, from, cancellationToken);
        return new AdoptionResult(versions, from, (await engine.PlanAsync(connection, cancellationToken)).Current);
    }

    /// <summary>Which of this code's migrations the database has, and what says so; refused when that cannot be told.</summary>
    private (IReadOnlyList<KnownMigration> Versions, string From) Choose(MigrationPlan plan, long? baseline)
    {
        var source = engine.Source;
        if (plan.Foreign is { Runner: ForeignRunner.FluentMigrator } fluent && fluent.RecordsAnything)
        {
            if (baseline is not null)
            {
                throw new MigrationException(MigrationErrorKind.InvalidInput,
                    $"{fluent.Table} says which migrations the database has: adopt it without --baseline (--baseline is for databases without FluentMigrator's table).");
            }

            var unknown = fluent.Versions.Where(v => source.Find(v.Version) is null).Select(v => v.Version).ToArray();
            if (unknown.Length > 0)
            {
                throw new MigrationException(MigrationErrorKind.Refused,
                    $"Not adopted: {fluent.Table} records {unknown.Length} version(s) this code does not have ({string.Join(", ", unknown.Take(10))}" +
                    $"{(unknown.Length > 10 ? ", …" : "")}). Adopt it with the code that migrated it.");
            }

            return (fluent.Versions.Select(v => source.Find(v.Version)!).ToArray(), $"from {fluent.Describe()}");
        }

        if (baseline is not { } version)
        {
            throw new MigrationException(MigrationErrorKind.InvalidInput, plan.Foreign is { } alembic
                ? $"{alembic.Describe()} does not say which of this code's migrations the database has: give the one its schema corresponds to, 'adopt --baseline VERSION'."
                : "Nothing in the database says which migrations it has (no FluentMigrator or Alembic version table): give the one its schema corresponds to, 'adopt --baseline VERSION'.");
        }

        if (source.Find(version) is null)
        {
            throw MigrationSelector.UnknownTarget(version);
        }

        return (source.Migrations.Where(m => m.Version <= version).ToArray(),
            $"up to the baseline {version}{(plan.Foreign is { } foreign ? $", for {foreign.Describe()}" : "")}");
    }

    private async Task RecordAsync(NpgsqlConnection connection, MigrationPlan plan, IReadOnlyList<KnownMigration> versions, string from, CancellationToken cancellationToken)
    {
        var appliedOn = plan.Foreign?.Versions.ToDictionary(v => v.Version, v => v.AppliedOn) ?? [];
        var sql = new StringBuilder(MigrationHistory.CreateTablesSql).Append(";\n");
        foreach (var migration in versions)
        {
            sql.Append(MigrationHistory.InsertAdoptedSql(migration, engine.Scripter.TryChecksum(migration), engine.Options.Actor,
                engine.Scripter.Reversal(migration), appliedOn.GetValueOrDefault(migration.Version))).Append(";\n");
        }

        sql.Append(MigrationHistory.EventSql(RecordedActions.Adopt, versions.LastOrDefault()?.Version, $"{versions.Count} migration(s) {from}", engine.Options.Actor));
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SqlCommands.ExecuteAsync(connection, sql.ToString(), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static DatabaseSchema WithoutVersionTables(DatabaseSchema schema) => new(schema.Tables.Where(t => !VersionTables.Contains(t.Name)).ToArray());
}
