using System.Diagnostics;
using FluentMigrator;
using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Telemetry;

namespace Superset.Migrations.Engine;

/// <summary>
/// Reverts a migration this code does not know (applied on another branch) from the Down() SQL its history row stored
/// when it ran: in its own transaction with the deletion of that row, under the run's session settings, so that it is
/// reverted entirely or not at all, exactly as its code would have.
/// </summary>
internal sealed class StoredDownExecutor(MigrationBookends bookends, string actor)
{
    public async Task<MigrationOutcome> RunAsync(NpgsqlConnection connection, AppliedMigration applied, CancellationToken cancellationToken)
    {
        var migration = MigrationRef.From(applied);
        using var activity = MigrationActivities.StartMigration(connection, migration, transactional: true, MigrationDirection.Down);
        activity?.SetTag(MigrationTelemetry.Attributes.RevertedFrom, "stored down sql");
        var started = Stopwatch.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            var down = await MigrationHistory.ReadDownSqlAsync(connection, applied.Version, cancellationToken)
                ?? throw new MigrationException(MigrationErrorKind.Refused, $"{migration} has no stored Down() SQL: only its code can revert it.");
            // An empty Down() (its Up() did nothing either) leaves only the history row to delete.
            var statements = bookends.SessionSettings(transactional: true).Append(ConfinedConnections.Filter(connection, down)).Where(s => s.Trim().Length > 0).Append(MigrationHistory.DeleteSql(applied.Version));
            var rows = await SqlCommands.ExecuteAsync(connection, string.Join(";\n", statements), transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            var outcome = new MigrationOutcome(migration, MigrationDirection.Down, Stopwatch.GetElapsedTime(started), Math.Max(0, rows - 1));
            MigrationActivities.Succeeded(activity, connection, outcome);
            return outcome;
        }
        catch (Exception ex)
        {
            if (transaction.Connection is not null)
            {
                try
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                }
                catch (Exception rollback) when (rollback is NpgsqlException or InvalidOperationException)
                {
                    // A broken connection rolls back on the server when the session ends.
                }
            }

            MigrationActivities.Failed(activity, connection, MigrationDirection.Down, Stopwatch.GetElapsedTime(started), ex);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            await MigrationHistory.TryRecordFailureAsync(connection, migration, MigrationDirection.Down, ex, actor);
            throw ex as MigrationException ?? new MigrationFailedException(migration, MigrationDirection.Down, ex);
        }
    }
}
