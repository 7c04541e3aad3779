using System.Text;
using Npgsql;
using Superset.Migrations.Connection;

namespace Superset.Migrations.Engine;

/// <summary>
/// <c>stamp</c>: records the database as being at a version without running anything. Every known migration up to it is
/// marked applied, everything above it is forgotten, in one transaction under the migration lock, with an event saying so;
/// FluentMigrator's <c>VersionInfo</c>, where it exists, says the same.
/// </summary>
internal sealed class MigrationStamp(MigrationEngine engine)
{
    public async Task<(IReadOnlyList<KnownMigration> Marked, IReadOnlyList<AppliedMigration> Forgotten)> RunAsync(
        NpgsqlConnection connection, long? version, CancellationToken cancellationToken)
    {
        var target = version ?? engine.Source.Head?.Version ?? 0;
        if (target != 0 && engine.Source.Find(target) is null)
        {
            throw MigrationSelector.UnknownTarget(target);
        }

        await using var migrationLock = await MigrationLock.AcquireAsync(connection, engine.Options.LockWait, null, cancellationToken);
        await MigrationHistory.EnsureCreatedAsync(connection, cancellationToken);
        var plan = await engine.PlanAsync(connection, cancellationToken);

        var toMark = plan.Pending.Where(m => m.Version <= target).ToArray();
        var toForget = plan.Applied.Where(a => a.Version > target).ToArray();
        var sql = new StringBuilder();
        foreach (var migration in toMark)
        {
            sql.Append(MigrationHistory.InsertSql(migration, engine.Scripter.TryChecksum(migration), engine.Options.Actor, RecordedActions.Stamp,
                engine.Scripter.Reversal(migration), measured: false)).Append(";\n");
            if (plan.KeepsVersionInfo)
            {
                sql.Append(FluentMigratorVersionTable.InsertSql(migration)).Append(";\n");
            }
        }

        foreach (var applied in toForget)
        {
            sql.Append(MigrationHistory.DeleteSql(applied.Version)).Append(";\n");
            if (plan.KeepsVersionInfo)
            {
                sql.Append(FluentMigratorVersionTable.DeleteSql(applied.Version)).Append(";\n");
            }
        }

        sql.Append(MigrationHistory.EventSql(RecordedActions.Stamp, target, $"marked {toMark.Length}, forgot {toForget.Length}", engine.Options.Actor));
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await SqlCommands.ExecuteAsync(connection, sql.ToString(), transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return (toMark, toForget);
    }
}
