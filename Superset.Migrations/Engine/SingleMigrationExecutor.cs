using System.Diagnostics;
using System.Text;
using FluentMigrator;
using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Telemetry;

namespace Superset.Migrations.Engine;

/// <summary>
/// Runs one migration on its own: in its transaction with its history row (or statement by statement, for one that
/// opted out of the transaction), scripted against the live schema when it asks what exists, with C# steps run on the
/// migration's connection. A failure rolls it back and is recorded; the exception names the migration.
/// </summary>
internal sealed class SingleMigrationExecutor(MigrationScripter scripter, MigrationBookends bookends, string actor)
{
    public async Task<MigrationOutcome> RunAsync(
        NpgsqlConnection connection, KnownMigration migration, MigrationRun run, CancellationToken cancellationToken)
    {
        var direction = run.Direction;
        using var activity = MigrationActivities.StartMigration(connection, MigrationRef.From(migration), migration.Transactional, direction);

        var started = Stopwatch.GetTimestamp();
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = migration.Transactional ? await connection.BeginTransactionAsync(cancellationToken) : null;
            var schema = new LiveSchema(connection, transaction);
            var script = ConfinedConnections.Apply(connection, scripter.Script(migration, direction, schema));
            var checksum = schema.WasQueried ? null : script.Checksum;

            var rows = await ExecuteStepsAsync(connection, transaction, bookends.Around(script, run, checksum).All.ToList(), cancellationToken);
            // The history row itself is one of the rows counted.
            rows = migration.IsVersioned ? Math.Max(0, rows - 1) : rows;
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            var outcome = new MigrationOutcome(MigrationRef.From(migration), direction, Stopwatch.GetElapsedTime(started), rows);
            MigrationActivities.Succeeded(activity, connection, outcome);
            return outcome;
        }
        catch (Exception ex)
        {
            if (transaction is not null && transaction.Connection is not null)
            {
                await TryRollbackAsync(transaction);
            }

            MigrationActivities.Failed(activity, connection, direction, Stopwatch.GetElapsedTime(started), ex);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            await MigrationHistory.TryRecordFailureAsync(connection, MigrationRef.From(migration), direction, ex, actor);
            throw ex as MigrationException ?? new MigrationFailedException(MigrationRef.From(migration), direction, ex);
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    /// <summary>Runs steps in order; consecutive SQL in a transaction goes to the server as one multi-statement command.</summary>
    private static async Task<long> ExecuteStepsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<ScriptStep> steps, CancellationToken cancellationToken)
    {
        long rows = 0;
        var batch = new StringBuilder();

        async Task FlushAsync()
        {
            if (batch.Length > 0)
            {
                rows += Math.Max(0, await SqlCommands.ExecuteAsync(connection, batch.ToString(), transaction, cancellationToken));
                batch.Clear();
            }
        }

        foreach (var step in steps)
        {
            switch (step)
            {
                case ScriptStep.Sql sql when transaction is not null:
                    batch.Append(sql.Statement.TrimEnd().TrimEnd(';')).Append(";\n");
                    break;
                case ScriptStep.Sql sql:
                    // Outside a transaction each statement runs alone: statements sent together would form an
                    // implicit transaction, which CREATE INDEX CONCURRENTLY refuses.
                    rows += Math.Max(0, await SqlCommands.ExecuteAsync(connection, sql.Statement, cancellationToken: cancellationToken));
                    break;
                case ScriptStep.Code code:
                    await FlushAsync();
                    code.Operation(connection, transaction);
                    break;
            }
        }

        await FlushAsync();
        return rows;
    }

    private static async Task TryRollbackAsync(NpgsqlTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken connection rolls back on the server when the session ends.
        }
        catch (InvalidOperationException)
        {
            // Already completed by the server.
        }
    }
}
