using System.Diagnostics;
using System.Text;
using FluentMigrator;
using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Telemetry;

namespace Superset.Migrations.Engine;

/// <summary>
/// The migration engine: reads the plan (applied, pending, out of order, unknown) and runs what
/// <see cref="MigrationSelector"/> selects under a PostgreSQL advisory lock, one transaction per migration with its
/// history row, after <see cref="ChecksumCheck"/> has verified that applied migrations were not edited. It orchestrates;
/// its collaborators script (<see cref="MigrationScripter"/>, <see cref="MigrationBookends"/>), render <c>--sql</c>
/// (<see cref="MigrationScriptRenderer"/>), execute (one at a time, or pipelined) and report
/// (<see cref="MigrationActivities"/>). The worker, the command line, the web app and the benchmarks are thin callers.
/// </summary>
/// <remarks>
/// Each migration commits with <c>synchronous_commit = off</c>, and the run ends with a durable commit of its event
/// row, which flushes every earlier commit: a crash mid-run loses whole migrations at most (each atomically with
/// its history row), and a run that reported success is on disk. This makes one transaction per migration as fast
/// as a single transaction for the whole run.
/// </remarks>
public sealed class MigrationEngine
{
    private readonly SingleMigrationExecutor _single;
    private readonly PipelinedMigrationExecutor _pipelined;
    private readonly StoredDownExecutor _stored;
    private readonly LockTimeoutRetry _retry;

    public MigrationEngine(MigrationSource source, MigrationEngineOptions? options = null)
    {
        Source = source;
        Options = options ?? new MigrationEngineOptions();
        var bookends = new MigrationBookends(Options, Scripter);
        Checksums = new ChecksumCheck(Scripter);
        Scripts = new MigrationScriptRenderer(Scripter, bookends, Checksums, Options);
        _single = new SingleMigrationExecutor(Scripter, bookends, Options.Actor);
        _pipelined = new PipelinedMigrationExecutor(Scripter, bookends, Options.Actor);
        _stored = new StoredDownExecutor(bookends, Options.Actor);
        _retry = new LockTimeoutRetry(Options);
    }

    public MigrationSource Source { get; }

    public MigrationEngineOptions Options { get; }

    public MigrationScripter Scripter { get; } = new();

    /// <summary>Whether applied migrations were edited after they ran.</summary>
    public ChecksumCheck Checksums { get; }

    /// <summary>The exact SQL a run would send, for <c>--sql</c>.</summary>
    public MigrationScriptRenderer Scripts { get; }

    /// <summary>Reads the history and compares it with the code; takes no lock and writes nothing.</summary>
    public async Task<MigrationPlan> PlanAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default) =>
        MigrationPlan.Create(Source, await MigrationHistory.ReadAsync(connection, cancellationToken));

    /// <summary>Applies pending migrations (or, for a merge, the out-of-order ones) under the migration lock.</summary>
    public Task<MigrationRunResult> UpgradeAsync(
        NpgsqlConnection connection, UpgradeRequest request, IMigrationObserver? observer = null, BeforeApplying? beforeApplying = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(connection, MigrationDirection.Up, observer, beforeApplying, async (plan, token) =>
        {
            // Checked (and edits accepted, when asked) before anything is selected, under the lock.
            var accepted = new List<long>();
            foreach (var change in Checksums.Verify(plan, request))
            {
                await SqlCommands.ExecuteAsync(connection, ChecksumCheck.AcceptSql(change, Options.Actor), cancellationToken: token);
                accepted.Add(change.Known.Version);
            }

            return new RunSelection(MigrationSelector.ForUpgrade(plan, request), request.Merge ? RunKind.Merge : RunKind.Upgrade, accepted,
                MigrationSelector.UnknownToRevert(plan, request));
        }, cancellationToken);

    /// <summary>Reverts applied migrations, newest applied first, under the migration lock.</summary>
    public Task<MigrationRunResult> DowngradeAsync(
        NpgsqlConnection connection, DowngradeRequest request, IMigrationObserver? observer = null, BeforeApplying? beforeApplying = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(connection, MigrationDirection.Down, observer, beforeApplying,
            (plan, _) => Task.FromResult(new RunSelection(MigrationSelector.ForDowngrade(plan, request), RunKind.Downgrade, [],
                MigrationSelector.UnknownToRevert(plan, request))), cancellationToken);

    /// <summary>
    /// Records the database as being at <paramref name="version"/> (the head when null) without running anything:
    /// every known migration up to it is marked applied, everything above it is forgotten.
    /// </summary>
    public async Task<(IReadOnlyList<KnownMigration> Marked, IReadOnlyList<AppliedMigration> Forgotten)> StampAsync(
        NpgsqlConnection connection, long? version, CancellationToken cancellationToken = default)
    {
        var target = version ?? Source.Head?.Version ?? 0;
        if (target != 0 && Source.Find(target) is null)
        {
            throw MigrationSelector.UnknownTarget(target);
        }

        await PrepareSessionAsync(connection, cancellationToken);
        await using var migrationLock = await MigrationLock.AcquireAsync(connection, Options.LockWait, null, cancellationToken);
        await MigrationHistory.EnsureCreatedAsync(connection, cancellationToken);
        var plan = await PlanAsync(connection, cancellationToken);

        var toMark = plan.Pending.Where(m => m.Version <= target).ToArray();
        var toForget = plan.Applied.Where(a => a.Version > target).ToArray();
        var sql = new StringBuilder();
        foreach (var migration in toMark)
        {
            sql.Append(MigrationHistory.InsertSql(migration, Scripter.TryChecksum(migration), Options.Actor, RecordedActions.Stamp,
                Scripter.TryScriptDownSql(migration), measured: false)).Append(";\n");
        }

        foreach (var applied in toForget)
        {
            sql.Append(MigrationHistory.DeleteSql(applied.Version)).Append(";\n");
        }

        sql.Append(MigrationHistory.EventSql(RecordedActions.Stamp, target, $"marked {toMark.Length}, forgot {toForget.Length}", Options.Actor));
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await SqlCommands.ExecuteAsync(connection, sql.ToString(), transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return (toMark, toForget);
    }

    /// <summary>What a run will do, decided under the lock from the plan it read there.</summary>
    /// <param name="RevertUnknown">Migrations this code does not know, reverted first from their stored Down() SQL.</param>
    private sealed record RunSelection(
        IReadOnlyList<KnownMigration> Migrations, RunKind Kind, IReadOnlyList<long> AcceptedChanges, IReadOnlyList<AppliedMigration> RevertUnknown);

    private async Task<MigrationRunResult> RunAsync(
        NpgsqlConnection connection,
        MigrationDirection direction,
        IMigrationObserver? observer,
        BeforeApplying? beforeApplying,
        Func<MigrationPlan, CancellationToken, Task<RunSelection>> select,
        CancellationToken cancellationToken)
    {
        using var runActivity = MigrationActivities.StartRun(connection, direction);
        try
        {
            await PrepareSessionAsync(connection, cancellationToken);

            // The lock comes before anything reads or creates the history, so that concurrent runners serialize.
            await using var migrationLock = await MigrationLock.AcquireAsync(
                connection, Options.LockWait, holder => observer?.OnLockWaiting(holder), cancellationToken);
            await MigrationHistory.EnsureCreatedAsync(connection, cancellationToken);

            var plan = await PlanAsync(connection, cancellationToken);
            MigrationTelemetry.PendingMigrations.Record(plan.Pending.Count, new KeyValuePair<string, object?>(MigrationTelemetry.Attributes.DbNamespace, connection.Database));

            var selection = await select(plan, cancellationToken);
            var fromVersion = plan.Current?.Version;
            runActivity?.SetTag(MigrationTelemetry.Attributes.FromVersion, fromVersion);
            runActivity?.SetTag(MigrationTelemetry.Attributes.Count, selection.Migrations.Count);
            if (selection.Migrations.Count + selection.RevertUnknown.Count > 0 && beforeApplying is not null)
            {
                await beforeApplying(connection, plan, selection.Migrations, cancellationToken);
            }

            var reverted = await RevertUnknownAsync(connection, selection.RevertUnknown, observer, runActivity, cancellationToken);
            var outcomes = await ExecuteAsync(connection, selection, observer, cancellationToken);
            var toVersion = outcomes.Count + reverted.Count == 0 ? fromVersion : (await PlanAsync(connection, cancellationToken)).Current?.Version;
            runActivity?.SetTag(MigrationTelemetry.Attributes.ToVersion, toVersion);

            if (outcomes.Count > 0)
            {
                // Durable: its commit flushes the write-ahead log past every asynchronous migration commit before it.
                await SqlCommands.ExecuteAsync(connection, MigrationHistory.EventSql(selection.Kind.Name(), toVersion,
                    $"{outcomes.Count} migration(s): {string.Join(", ", outcomes.Select(o => o.Migration.Version))}", Options.Actor),
                    cancellationToken: cancellationToken);
            }

            runActivity?.SetStatus(ActivityStatusCode.Ok);
            return new MigrationRunResult(direction, fromVersion, toVersion, outcomes, selection.AcceptedChanges, reverted);
        }
        catch (Exception ex)
        {
            runActivity.RecordFailure(ex);
            throw;
        }
    }

    /// <summary>
    /// Reverts, newest applied first, the migrations of another branch from their stored SQL, and records which in an
    /// event of their own (durable: its commit flushes theirs).
    /// </summary>
    private async Task<List<MigrationOutcome>> RevertUnknownAsync(
        NpgsqlConnection connection, IReadOnlyList<AppliedMigration> unknown, IMigrationObserver? observer, Activity? runActivity, CancellationToken cancellationToken)
    {
        var reverted = new List<MigrationOutcome>(unknown.Count);
        foreach (var applied in unknown)
        {
            observer?.OnMigrationStarting(MigrationRef.From(applied), MigrationDirection.Down);
            var outcome = await _stored.RunAsync(connection, applied, cancellationToken);
            reverted.Add(outcome);
            observer?.OnMigrationCompleted(outcome);
        }

        if (reverted.Count > 0)
        {
            var versions = string.Join(", ", reverted.Select(o => o.Migration.Version));
            runActivity?.SetTag(MigrationTelemetry.Attributes.RevertedUnknown, versions);
            await SqlCommands.ExecuteAsync(connection, MigrationHistory.EventSql(RecordedActions.RevertUnknown, reverted[^1].Migration.Version,
                $"{reverted.Count} migration(s) unknown to this code, from their stored Down() SQL: {versions}", Options.Actor), cancellationToken: cancellationToken);
        }

        return reverted;
    }

    /// <summary>
    /// Runs of plain-SQL migrations go pipelined; one that asks the database what exists, runs C#, or runs outside a
    /// transaction runs alone.
    /// </summary>
    private Task<List<MigrationOutcome>> ExecuteAsync(
        NpgsqlConnection connection, RunSelection selection, IMigrationObserver? observer, CancellationToken cancellationToken) =>
        _retry.RunAsync(selection.Migrations, observer, async (migrations, reporter) =>
        {
            // Every completed migration is told to the reporter, which is how the retry knows where to start again.
            var direction = selection.Kind.Direction();
            for (var next = 0; next < migrations.Count;)
            {
                var pipeline = _pipelined.Script(migrations, next, selection.Kind);
                if (pipeline.Count > 0)
                {
                    await _pipelined.RunAsync(connection, pipeline, direction, reporter, cancellationToken);
                    next += pipeline.Count;
                    continue;
                }

                var migration = migrations[next++];
                reporter.OnMigrationStarting(MigrationRef.From(migration), direction);
                reporter.OnMigrationCompleted(await _single.RunAsync(connection, migration, selection.Kind, cancellationToken));
            }
        }, cancellationToken);

    /// <summary>
    /// Session settings for a run. A client that dies (kill -9, a lost network) is noticed by the server only when it
    /// next writes to the socket, so a long statement would keep running, and keep its locks, with nobody waiting for
    /// it; PostgreSQL 14 and later can check the connection while a statement runs, and roll it back at once.
    /// </summary>
    private static async Task PrepareSessionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (connection.PostgreSqlVersion.Major >= 14)
        {
            await SqlCommands.ExecuteAsync(connection, "SET client_connection_check_interval = 1000", cancellationToken: cancellationToken);
        }
    }
}
