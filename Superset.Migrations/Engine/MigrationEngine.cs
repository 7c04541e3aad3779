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
    private readonly ShadowScripting _shadow;

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
        _shadow = new ShadowScripting(Scripter, _single, Options);
    }

    public MigrationSource Source { get; }

    public MigrationEngineOptions Options { get; }

    public MigrationScripter Scripter { get; } = new();

    /// <summary>Whether applied migrations were edited after they ran.</summary>
    public ChecksumCheck Checksums { get; }

    /// <summary>The exact SQL a run would send, for <c>--sql</c>.</summary>
    public MigrationScriptRenderer Scripts { get; }

    /// <summary>Why a migration cannot be reverted at all; null when it can (see <see cref="MigrationScripter.Reversal"/>).</summary>
    public string? Irreversible(KnownMigration migration) => Scripter.Reversal(migration).IrreversibleReason;

    /// <summary>The exact SQL an upgrade would send (<c>--sql</c>); see <see cref="ScriptAsync"/>.</summary>
    public Task<string> ScriptUpgradeAsync(NpgsqlConnectionStringBuilder database, MigrationPlan plan, UpgradeRequest request, CancellationToken cancellationToken = default) =>
        ScriptAsync(database, plan, step => Scripts.UpgradeAsync(plan, request, step), cancellationToken);

    /// <summary>The exact SQL a downgrade would send (<c>--sql</c>); see <see cref="ScriptAsync"/>.</summary>
    public Task<string> ScriptDowngradeAsync(NpgsqlConnectionStringBuilder database, MigrationPlan plan, DowngradeRequest request, CancellationToken cancellationToken = default) =>
        ScriptAsync(database, plan, step => Scripts.DowngradeAsync(plan, request, step), cancellationToken);

    /// <summary>
    /// Renders a run's SQL from the code alone, or, when a migration asks the live schema what exists, on a throwaway
    /// database that follows the run (<see cref="ShadowScripting"/>).
    /// </summary>
    private async Task<string> ScriptAsync(
        NpgsqlConnectionStringBuilder database, MigrationPlan plan, Func<StepScripter, Task<string>> render, CancellationToken cancellationToken)
    {
        try
        {
            return await render(Scripts.Offline);
        }
        catch (DynamicMigrationException)
        {
            return await _shadow.RenderAsync(database, plan, render, cancellationToken);
        }
    }

    /// <summary>Reads the history and compares it with the code; takes no lock and writes nothing.</summary>
    public async Task<MigrationPlan> PlanAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default) =>
        (await ReadPlanAsync(connection, cancellationToken)).Plan;

    /// <summary>
    /// The plan, and a query that answers the same (<see cref="HistoryFingerprint.Value"/>) for as long as nothing the plan
    /// read has changed: both read in one snapshot of the database, so that the two always belong together.
    /// </summary>
    public async Task<(MigrationPlan Plan, HistoryFingerprint Fingerprint)> PlanWithFingerprintAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var (plan, tables) = await ReadPlanAsync(connection, cancellationToken);
        var sql = tables.FingerprintSql();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return (plan, new HistoryFingerprint(tables, value));
    }

    private async Task<(MigrationPlan Plan, HistoryTables Tables)> ReadPlanAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var (applied, tables) = await MigrationHistory.ReadWithTablesAsync(connection, cancellationToken);
        // Another runner's table matters while this engine has recorded nothing: the database is to be adopted.
        var foreign = applied.Count == 0 && (tables.HasVersionInfo || tables.HasAlembicVersion)
            ? await ForeignVersionTable.ReadAsync(connection, tables, cancellationToken)
            : null;
        return (MigrationPlan.Create(Source, applied, tables.HasVersionInfo, foreign), tables);
    }

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
            (plan, _) => Task.FromResult(new RunSelection(MigrationSelector.ForDowngrade(plan, request, Irreversible), RunKind.Downgrade, [],
                MigrationSelector.UnknownToRevert(plan, request))), cancellationToken);

    /// <summary>
    /// Records the database as being at <paramref name="version"/> (the head when null) without running anything:
    /// every known migration up to it is marked applied, everything above it is forgotten.
    /// </summary>
    public async Task<(IReadOnlyList<KnownMigration> Marked, IReadOnlyList<AppliedMigration> Forgotten)> StampAsync(
        NpgsqlConnection connection, long? version, CancellationToken cancellationToken = default)
    {
        await PrepareSessionAsync(connection, cancellationToken);
        return await new MigrationStamp(this).RunAsync(connection, version, cancellationToken);
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

            var run = new MigrationRun(selection.Kind,
                await FluentMigratorVersionTable.PrepareAsync(connection, plan, selection.Kind, selection.Migrations, Scripter, cancellationToken));
            var reverted = await RevertUnknownAsync(connection, selection.RevertUnknown, observer, runActivity, cancellationToken);
            var steps = await ExecuteAsync(connection, MigrationRun.Sequence(Source, selection.Migrations, selection.Kind), run, observer, cancellationToken);
            var outcomes = steps.Where(o => o.Migration.IsVersioned).ToList();
            var after = outcomes.Count + reverted.Count == 0 ? plan : await PlanAsync(connection, cancellationToken);
            var toVersion = after.Current?.Version;
            runActivity?.SetTag(MigrationTelemetry.Attributes.ToVersion, toVersion);

            if (steps.Count > 0)
            {
                // Durable: its commit flushes the write-ahead log past every asynchronous migration commit before it.
                await SqlCommands.ExecuteAsync(connection, MigrationHistory.EventSql(selection.Kind.Name(), toVersion,
                    $"{outcomes.Count} migration(s): {string.Join(", ", outcomes.Select(o => o.Migration.Version))}" +
                    (steps.Count > outcomes.Count ? $"; {steps.Count - outcomes.Count} maintenance or profile migration(s)" : ""), Options.Actor),
                    cancellationToken: cancellationToken);
            }

            runActivity?.SetStatus(ActivityStatusCode.Ok);
            return new MigrationRunResult(direction, fromVersion, toVersion, outcomes, selection.AcceptedChanges, reverted)
            {
                Maintenance = steps.Where(o => !o.Migration.IsVersioned).ToArray(),
                Plan = after,
            };
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
    /// Runs of plain-SQL migrations go pipelined; one that asks the database what exists, runs C#, runs outside a
    /// transaction, or is a maintenance or profile migration runs alone.
    /// </summary>
    private Task<List<MigrationOutcome>> ExecuteAsync(
        NpgsqlConnection connection, IReadOnlyList<KnownMigration> steps, MigrationRun run, IMigrationObserver? observer, CancellationToken cancellationToken) =>
        _retry.RunAsync(steps, observer, async (start, reporter) =>
        {
            // Every completed step is told to the reporter, which is how the retry knows where to start again.
            for (var next = start; next < steps.Count;)
            {
                var pipeline = _pipelined.Script(connection, steps, next, run);
                if (pipeline.Count > 0)
                {
                    await _pipelined.RunAsync(connection, pipeline, run.Direction, reporter, cancellationToken);
                    next += pipeline.Count;
                    continue;
                }

                var migration = steps[next++];
                reporter.OnMigrationStarting(MigrationRef.From(migration), run.Direction);
                reporter.OnMigrationCompleted(await _single.RunAsync(connection, migration, run, cancellationToken));
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
