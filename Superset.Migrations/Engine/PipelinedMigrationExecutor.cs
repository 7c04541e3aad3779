using FluentMigrator;
using Npgsql;
using Superset.Migrations.Telemetry;

namespace Superset.Migrations.Engine;

/// <summary>
/// Runs migrations pipelined. Most migrations are plain SQL known before they run (nothing in them asks the database what
/// exists, and nothing runs C#). A run of those goes to the server as one pipeline — each migration still its own
/// transaction, <c>BEGIN … history row … COMMIT</c> — so that the client neither waits a round trip per statement nor
/// keeps the server waiting between migrations: what made 500 migrations cost 2.5x psql's time for the same SQL.
/// A failure stops the pipeline at the failing statement: the server rolls that migration back, those before it have
/// committed, those after it never ran — the same outcome, statement for statement, as one migration at a time.
/// </summary>
internal sealed class PipelinedMigrationExecutor(MigrationScripter scripter, MigrationBookends bookends, string actor)
{
    /// <summary>At most this many migrations per pipeline, so that progress is reported as the run goes.</summary>
    private const int PipelineLength = 100;

    /// <summary>Its last statement before COMMIT: the server's own time for the migration, since its BEGIN.</summary>
    private const string ElapsedSql = $"SELECT (extract(epoch FROM clock_timestamp() - now()) * 1000)::float8 AS {ElapsedColumn}";

    private const string ElapsedColumn = "superset_elapsed_ms";

    /// <param name="Body">Where the migration's own statements are among <paramref name="Statements"/> (the rows it affected are theirs).</param>
    public sealed record PipelinedMigration(KnownMigration Migration, IReadOnlyList<string> Statements, Range Body);

    /// <summary>
    /// Scripts, without the database, the migrations from <paramref name="start"/> on that can run pipelined; stops
    /// at the first that cannot (it asks the database, runs C#, runs outside a transaction, is not a versioned migration,
    /// or is invalid: the one-at-a-time path runs it and reports it exactly as before).
    /// </summary>
    public List<PipelinedMigration> Script(NpgsqlConnection connection, IReadOnlyList<KnownMigration> migrations, int start, MigrationRun run)
    {
        var pipeline = new List<PipelinedMigration>();
        for (var i = start; i < migrations.Count && pipeline.Count < PipelineLength; i++)
        {
            var migration = migrations[i];
            if (!migration.Transactional || !migration.IsVersioned)
            {
                break;
            }

            MigrationScript script;
            try
            {
                script = ConfinedConnections.Apply(connection, scripter.Script(migration, run.Direction));
            }
            catch (Exception ex) when (ex is DynamicMigrationException or MigrationException)
            {
                break;
            }

            var bookended = bookends.Around(script, run);
            if (!bookended.All.All(step => step is ScriptStep.Sql sql && IsOneStatement(sql.Statement)))
            {
                break;
            }

            // BEGIN, settings, the migration's statements, the server's elapsed time, its records, COMMIT.
            var statements = new List<string>(bookended.Settings.Count + bookended.Body.Count + bookended.Record.Count + 3) { "BEGIN" };
            statements.AddRange(Texts(bookended.Settings));
            var body = new Range(statements.Count, statements.Count + bookended.Body.Count);
            statements.AddRange(Texts(bookended.Body));
            statements.Add(ElapsedSql);
            statements.AddRange(Texts(bookended.Record));
            statements.Add("COMMIT");
            pipeline.Add(new PipelinedMigration(migration, statements, body));
        }

        return pipeline;
    }

    private static IEnumerable<string> Texts(IEnumerable<ScriptStep> steps) => steps.Cast<ScriptStep.Sql>().Select(s => s.Statement);

    /// <summary>A batch command holds one statement; SQL with several (Execute.Sql("a; b")) runs one migration at a time.</summary>
    private static bool IsOneStatement(string sql) => !sql.AsSpan().TrimEnd().TrimEnd(';').Contains(';');

    public async Task<List<MigrationOutcome>> RunAsync(
        NpgsqlConnection connection, List<PipelinedMigration> pipeline, MigrationDirection direction, IMigrationObserver? observer,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection) { Timeout = 0 };
        var ranges = new List<(int First, int Count)>(pipeline.Count);
        foreach (var migration in pipeline)
        {
            ranges.Add((batch.BatchCommands.Count, migration.Statements.Count));
            foreach (var statement in migration.Statements)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
            }
        }

        var started = DateTime.UtcNow;
        var elapsed = new List<double>(pipeline.Count);
        Exception? failure = null;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            do
            {
                // The elapsed-time statements, one per migration, in order (a migration's own SELECTs are skipped).
                if (reader.FieldCount == 1 && reader.GetName(0) == ElapsedColumn && await reader.ReadAsync(cancellationToken))
                {
                    elapsed.Add(reader.GetDouble(0));
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }
        catch (Exception ex)
        {
            // Whatever stopped it (the server, a cancellation, the connection), the history says what committed.
            failure = ex;
        }

        // Which migrations committed: all of them, or, after a failure, as the history says (the source of truth).
        int done;
        try
        {
            done = failure is null ? pipeline.Count : await CountCommittedAsync(connection, pipeline, direction);
        }
        catch (Exception lost) when (lost is NpgsqlException or InvalidOperationException)
        {
            // The connection itself is gone: each migration committed with its history row or not at all, but which
            // of these did is for the next run to read.
            throw new MigrationException(MigrationErrorKind.Failed,
                $"The connection to the database failed while migrations {pipeline[0].Migration.Version} to {pipeline[^1].Migration.Version} ran " +
                $"({failure?.Message ?? lost.Message}); each committed with its history row or not at all: run 'status' to see which.", failure ?? lost);
        }

        var outcomes = new List<MigrationOutcome>(done + 1);
        var at = started;
        for (var i = 0; i < done; i++)
        {
            var first = ranges[i].First;
            var (offset, length) = pipeline[i].Body.GetOffsetAndLength(pipeline[i].Statements.Count);
            long rows = 0;
            for (var c = first + offset; c < first + offset + length; c++)
            {
                rows += Math.Max(0, batch.BatchCommands[c].RecordsAffected);
            }

            var duration = TimeSpan.FromMilliseconds(i < elapsed.Count ? elapsed[i] : 0);
            var outcome = new MigrationOutcome(MigrationRef.From(pipeline[i].Migration), direction, duration, rows);
            Report(connection, outcome, at, failure: null);
            at += duration;
            observer?.OnMigrationStarting(outcome.Migration, direction);
            observer?.OnMigrationCompleted(outcome);
            outcomes.Add(outcome);
        }

        // A failure after the last COMMIT (reading the last results) left nothing undone.
        if (failure is not null && done < pipeline.Count)
        {
            var migration = pipeline[done].Migration;
            observer?.OnMigrationStarting(MigrationRef.From(migration), direction);
            Report(connection, new MigrationOutcome(MigrationRef.From(migration), direction, DateTime.UtcNow - at, 0), at, failure);
            if (failure is OperationCanceledException)
            {
                throw failure;
            }

            await MigrationHistory.TryRecordFailureAsync(connection, MigrationRef.From(migration), direction, failure, actor);
            throw new MigrationFailedException(MigrationRef.From(migration), direction, failure);
        }

        return outcomes;
    }

    /// <summary>The span, counter and histogram of a migration that ran in a pipeline; its times are the server's.</summary>
    private static void Report(NpgsqlConnection connection, MigrationOutcome outcome, DateTime startedAt, Exception? failure)
    {
        using var activity = MigrationActivities.StartMigration(connection, outcome.Migration, transactional: true, outcome.Direction, startedAt);
        if (failure is null)
        {
            MigrationActivities.Succeeded(activity, connection, outcome);
        }
        else
        {
            MigrationActivities.Failed(activity, connection, outcome.Direction, outcome.Duration, failure);
        }

        activity?.SetEndTime(startedAt + outcome.Duration);
    }

    /// <summary>
    /// How many of the pipeline's migrations committed, from the history: up adds their rows, down removes them. Ends
    /// the failed migration's transaction first (aborted on the server, or never begun), so that the history can be read.
    /// </summary>
    private static async Task<int> CountCommittedAsync(NpgsqlConnection connection, List<PipelinedMigration> pipeline, MigrationDirection direction)
    {
        await RollbackQuietlyAsync(connection);
        var versions = pipeline.Select(p => p.Migration.Version).ToArray();
        await using var command = new NpgsqlCommand($"SELECT version FROM {MigrationHistory.HistoryTable} WHERE version = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = versions });
        var present = new HashSet<long>();
        await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
        {
            while (await reader.ReadAsync(CancellationToken.None))
            {
                present.Add(reader.GetInt64(0));
            }
        }

        var done = 0;
        while (done < pipeline.Count && present.Contains(versions[done]) == (direction == MigrationDirection.Up))
        {
            done++;
        }

        return done;
    }

    private static async Task RollbackQuietlyAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // No transaction was open, or the connection is gone (Npgsql says so with an InvalidOperationException):
            // either way nothing is left half done.
        }
    }
}
