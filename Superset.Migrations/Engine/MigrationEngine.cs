using FluentMigrator;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using Superset.Migrations.Telemetry;

namespace Superset.Migrations.Engine;

/// <summary>
/// The migration engine: plans (applied, pending, out of order, unknown), applies and reverts under a PostgreSQL
/// advisory lock, one transaction per migration with its history row, checks checksums of applied migrations,
/// and emits a span per run and per migration. The worker, the command line, the web app and the benchmarks
/// are thin callers of it.
/// </summary>
/// <remarks>
/// Each migration commits with <c>synchronous_commit = off</c>, and the run ends with a durable commit of its event
/// row, which flushes every earlier commit: a crash mid-run loses whole migrations at most (each atomically with
/// its history row), and a run that reported success is on disk. This makes one transaction per migration as fast
/// as a single transaction for the whole run.
/// </remarks>
public sealed partial class MigrationEngine(MigrationSource source, MigrationEngineOptions? options = null)
{
    private readonly MigrationEngineOptions _options = options ?? new MigrationEngineOptions();

    public MigrationSource Source { get; } = source;

    public MigrationScripter Scripter { get; } = new();

    public MigrationEngineOptions Options => _options;

    /// <summary>Reads the history and compares it with the code; takes no lock and writes nothing.</summary>
    public async Task<MigrationPlan> PlanAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default) =>
        MigrationPlan.Create(Source, await MigrationHistory.ReadAsync(connection, cancellationToken));

    /// <summary>Applied migrations whose Up SQL differs from the checksum stored when they ran.</summary>
    public IReadOnlyList<ChangedMigration> FindChanged(MigrationPlan plan)
    {
        var changed = new List<ChangedMigration>();
        foreach (var applied in plan.Applied)
        {
            if (applied.Checksum is null || Source.Find(applied.Version) is not { } known)
            {
                continue;
            }

            var current = Scripter.TryChecksum(known);
            if (current is not null && current != applied.Checksum)
            {
                changed.Add(new ChangedMigration(applied, known, current));
            }
        }

        return changed;
    }

    /// <summary>
    /// Edited applied migrations: refused unless the request allows them, in which case they are returned, to have
    /// their new checksum recorded with an <c>allow-changed</c> event.
    /// </summary>
    private IReadOnlyList<ChangedMigration> CheckChanged(MigrationPlan plan, UpgradeRequest request)
    {
        var changed = FindChanged(plan);
        if (changed.Count > 0 && !request.AllowChanged)
        {
            throw new MigrationException(
                MigrationErrorKind.Refused,
                $"Applied migrations were edited after they ran: {Describe(changed.Select(c => c.Known))}. " +
                "Revert the edit and add a new migration instead, or pass --allow-changed for a deliberate fix.");
        }

        return changed;
    }

    private string AcceptChangeSql(ChangedMigration change) =>
        MigrationHistory.UpdateChecksumSql(change.Known.Version, change.CurrentChecksum) + ";\n" +
        MigrationHistory.EventSql("allow-changed", change.Known.Version,
            $"checksum {change.Applied.Checksum} accepted as {change.CurrentChecksum}", _options.Actor);

    /// <summary>The migrations an upgrade (or a merge) would apply, in order; throws when a safety check refuses.</summary>
    public IReadOnlyList<KnownMigration> SelectUpgrade(MigrationPlan plan, UpgradeRequest request)
    {
        RefuseUnknown(plan, "upgrade");
        if (request.Target is { } target && Source.Find(target) is null)
        {
            throw UnknownTarget(target);
        }

        if (request.Merge)
        {
            return plan.OutOfOrder.Where(m => request.Target is null || m.Version <= request.Target).ToArray();
        }

        if (plan.OutOfOrder.Count > 0)
        {
            throw new MigrationException(
                MigrationErrorKind.Refused,
                $"Out-of-order migrations: {Describe(plan.OutOfOrder)} {(plan.OutOfOrder.Count == 1 ? "is" : "are")} older than the current version {plan.Current!.Version} and not applied. " +
                "Review them, then run 'merge' to apply them.");
        }

        return plan.Pending.Where(m => request.Target is null || m.Version <= request.Target).ToArray();
    }

    /// <summary>The migrations a downgrade would revert, in the order it reverts them (newest applied first).</summary>
    public IReadOnlyList<KnownMigration> SelectDowngrade(MigrationPlan plan, DowngradeRequest request)
    {
        RefuseUnknown(plan, "downgrade");
        if (request.Steps is < 1)
        {
            throw new MigrationException(MigrationErrorKind.InvalidInput, $"--steps must be at least 1, not {request.Steps}.");
        }

        if (request.Target is { } target && target != 0 && Source.Find(target) is null)
        {
            throw UnknownTarget(target);
        }

        var applied = plan.Applied.OrderByDescending(a => a.AppliedOrder).Select(a => Source.Find(a.Version)!).ToArray();
        if (request.Target is { } t)
        {
            return applied.Where(m => m.Version > t).ToArray();
        }

        var steps = request.Steps ?? 1;
        if (steps > applied.Length)
        {
            throw new MigrationException(
                MigrationErrorKind.InvalidInput,
                $"Cannot roll back {steps} migrations: only {applied.Length} {(applied.Length == 1 ? "is" : "are")} applied.");
        }

        return applied.Take(steps).ToArray();
    }

    /// <summary>Applies pending migrations (or, for a merge, the out-of-order ones) under the migration lock.</summary>
    public Task<MigrationRunResult> UpgradeAsync(
        NpgsqlConnection connection, UpgradeRequest request, IMigrationObserver? observer = null, CancellationToken cancellationToken = default,
        BeforeApplying? beforeApplying = null) =>
        RunAsync(connection, MigrationDirection.Up, observer, beforeApplying, cancellationToken, async (plan, lockedConnection) =>
        {
            var accepted = new List<long>();
            foreach (var change in CheckChanged(plan, request))
            {
                await ExecuteAsync(lockedConnection, null, AcceptChangeSql(change), cancellationToken);
                accepted.Add(change.Known.Version);
            }

            return (SelectUpgrade(plan, request), request.Merge ? "merge" : "upgrade", accepted);
        });

    /// <summary>Reverts applied migrations, newest applied first, under the migration lock.</summary>
    public Task<MigrationRunResult> DowngradeAsync(
        NpgsqlConnection connection, DowngradeRequest request, IMigrationObserver? observer = null, CancellationToken cancellationToken = default,
        BeforeApplying? beforeApplying = null) =>
        RunAsync(connection, MigrationDirection.Down, observer, beforeApplying, cancellationToken,
            (plan, _) => Task.FromResult((SelectDowngrade(plan, request), "downgrade", new List<long>())));

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
            throw UnknownTarget(target);
        }

        await PrepareSessionAsync(connection, cancellationToken);
        await using var migrationLock = await MigrationLock.AcquireAsync(connection, _options.LockWait, null, cancellationToken);
        await MigrationHistory.EnsureCreatedAsync(connection, cancellationToken);
        var plan = await PlanAsync(connection, cancellationToken);

        var toMark = plan.Pending.Where(m => m.Version <= target).ToArray();
        var toForget = plan.Applied.Where(a => a.Version > target).ToArray();
        var sql = new StringBuilder();
        foreach (var migration in toMark)
        {
            sql.Append(MigrationHistory.InsertSql(migration, Scripter.TryChecksum(migration), _options.Actor, "stamp", measured: false)).Append(";\n");
        }

        foreach (var applied in toForget)
        {
            sql.Append(MigrationHistory.DeleteSql(applied.Version)).Append(";\n");
        }

        sql.Append(MigrationHistory.EventSql("stamp", target, $"marked {toMark.Length}, forgot {toForget.Length}", _options.Actor));
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await ExecuteAsync(connection, transaction, sql.ToString(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return (toMark, toForget);
    }

    /// <summary>The exact SQL an upgrade (or merge) would run, for <c>upgrade --sql</c>; touches nothing.</summary>
    public string ScriptUpgrade(MigrationPlan plan, UpgradeRequest request)
    {
        var changed = CheckChanged(plan, request);
        var migrations = SelectUpgrade(plan, request);
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"-- Superset migrations: {(request.Merge ? "merge" : "upgrade")} of {migrations.Count} migration(s), from {plan.Current?.Version.ToString(CultureInfo.InvariantCulture) ?? "an empty database"}\n");
        sql.Append(MigrationHistory.CreateTablesSql).Append(";\n\n");
        foreach (var change in changed)
        {
            sql.Append(AcceptChangeSql(change)).Append(";\n\n");
        }

        foreach (var migration in migrations)
        {
            AppendScript(sql, migration, MigrationDirection.Up, request.Merge ? "merge" : "upgrade");
        }

        sql.Append(MigrationHistory.EventSql(request.Merge ? "merge" : "upgrade", migrations.LastOrDefault()?.Version,
            $"{migrations.Count} migration(s) from a --sql script", _options.Actor)).Append(";\n");
        return sql.ToString();
    }

    /// <summary>The exact SQL a downgrade would run, for <c>downgrade --sql</c>; touches nothing.</summary>
    public string ScriptDowngrade(MigrationPlan plan, DowngradeRequest request)
    {
        var migrations = SelectDowngrade(plan, request);
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"-- Superset migrations: downgrade of {migrations.Count} migration(s), from {plan.Current?.Version.ToString(CultureInfo.InvariantCulture) ?? "an empty database"}\n\n");
        foreach (var migration in migrations)
        {
            AppendScript(sql, migration, MigrationDirection.Down, "downgrade");
        }

        sql.Append(MigrationHistory.EventSql("downgrade", migrations.LastOrDefault()?.Version,
            $"{migrations.Count} migration(s) from a --sql script", _options.Actor)).Append(";\n");
        return sql.ToString();
    }

    private void AppendScript(StringBuilder sql, KnownMigration migration, MigrationDirection direction, string appliedVia)
    {
        MigrationScript script;
        try
        {
            script = Scripter.Script(migration, direction);
        }
        catch (DynamicMigrationException)
        {
            throw new MigrationException(MigrationErrorKind.InvalidInput,
                $"Migration {migration} asks the live database about its schema, so its SQL cannot be printed ahead of time.");
        }

        sql.Append(CultureInfo.InvariantCulture, $"-- {migration.Version}: {migration.Description} ({(direction == MigrationDirection.Up ? "up" : "down")})\n");
        if (migration.Transactional)
        {
            sql.Append("BEGIN;\n");
        }

        foreach (var step in Bookend(script, appliedVia))
        {
            sql.Append(step.Text.TrimEnd().TrimEnd(';')).Append(step is ScriptStep.Code ? "\n" : ";\n");
        }

        if (migration.Transactional)
        {
            sql.Append("COMMIT;\n");
        }

        sql.Append('\n');
    }

    /// <summary>A migration's statements with the engine's own around them: session settings and the history row.</summary>
    private IReadOnlyList<ScriptStep> Bookend(MigrationScript script, string appliedVia, string? checksum = null)
    {
        var migration = script.Migration;
        var steps = new List<ScriptStep>(script.Steps.Count + 6);
        var scope = migration.Transactional ? "SET LOCAL" : "SET";
        if (migration.Transactional)
        {
            steps.Add(new ScriptStep.Sql("SET LOCAL synchronous_commit = off"));
        }

        if (_options.LockTimeout is { } lockTimeout)
        {
            steps.Add(new ScriptStep.Sql($"{scope} lock_timeout = {(long)lockTimeout.TotalMilliseconds}"));
        }

        if (_options.StatementTimeout is { } statementTimeout)
        {
            steps.Add(new ScriptStep.Sql($"{scope} statement_timeout = {(long)statementTimeout.TotalMilliseconds}"));
        }

        if (!migration.Transactional)
        {
            steps.Add(new ScriptStep.Sql(MigrationHistory.MarkStartSql));
        }

        steps.AddRange(script.Steps);
        steps.Add(new ScriptStep.Sql(script.Direction == MigrationDirection.Up
            ? MigrationHistory.InsertSql(migration, checksum ?? script.Checksum, _options.Actor, appliedVia)
            : MigrationHistory.DeleteSql(migration.Version)));

        if (!migration.Transactional)
        {
            if (_options.LockTimeout is not null)
            {
                steps.Add(new ScriptStep.Sql("RESET lock_timeout"));
            }

            if (_options.StatementTimeout is not null)
            {
                steps.Add(new ScriptStep.Sql("RESET statement_timeout"));
            }
        }

        return steps;
    }

    private async Task<MigrationRunResult> RunAsync(
        NpgsqlConnection connection,
        MigrationDirection direction,
        IMigrationObserver? observer,
        BeforeApplying? beforeApplying,
        CancellationToken cancellationToken,
        Func<MigrationPlan, NpgsqlConnection, Task<(IReadOnlyList<KnownMigration> Migrations, string AppliedVia, List<long> Accepted)>> select)
    {
        var operation = direction == MigrationDirection.Up ? "upgrade" : "downgrade";
        using var runActivity = MigrationTelemetry.ActivitySource.StartActivity($"migrations {operation}");
        TagDatabase(runActivity, connection, operation);
        runActivity?.SetTag(MigrationTelemetry.Attributes.Direction, DirectionTag(direction));

        try
        {
            await PrepareSessionAsync(connection, cancellationToken);

            // The lock comes before anything reads or creates the history, so that concurrent runners serialize.
            await using var migrationLock = await MigrationLock.AcquireAsync(
                connection, _options.LockWait, holder => observer?.OnLockWaiting(holder), cancellationToken);
            await MigrationHistory.EnsureCreatedAsync(connection, cancellationToken);

            var plan = await PlanAsync(connection, cancellationToken);
            MigrationTelemetry.PendingMigrations.Record(plan.Pending.Count, new KeyValuePair<string, object?>(MigrationTelemetry.Attributes.DbNamespace, connection.Database));

            var (migrations, appliedVia, accepted) = await select(plan, connection);
            var fromVersion = plan.Current?.Version;
            runActivity?.SetTag(MigrationTelemetry.Attributes.FromVersion, fromVersion);
            runActivity?.SetTag(MigrationTelemetry.Attributes.Count, migrations.Count);
            if (migrations.Count > 0 && beforeApplying is not null)
            {
                await beforeApplying(connection, plan, migrations, cancellationToken);
            }

            var outcomes = new List<MigrationOutcome>(migrations.Count);
            for (var next = 0; next < migrations.Count;)
            {
                var pipeline = ScriptPipeline(migrations, next, direction, appliedVia);
                if (pipeline.Count > 0)
                {
                    outcomes.AddRange(await RunPipelineAsync(connection, pipeline, direction, observer, cancellationToken));
                    next += pipeline.Count;
                    continue;
                }

                // One that must run alone: it asks the database what exists, runs C#, or runs outside a transaction.
                var migration = migrations[next++];
                observer?.OnMigrationStarting(migration, direction);
                var outcome = await RunOneAsync(connection, migration, direction, appliedVia, cancellationToken);
                outcomes.Add(outcome);
                observer?.OnMigrationCompleted(outcome);
            }

            var toVersion = outcomes.Count == 0 ? fromVersion : (await PlanAsync(connection, cancellationToken)).Current?.Version;
            runActivity?.SetTag(MigrationTelemetry.Attributes.ToVersion, toVersion);

            if (outcomes.Count > 0)
            {
                // Durable: its commit flushes the write-ahead log past every asynchronous migration commit before it.
                await ExecuteAsync(connection, null, MigrationHistory.EventSql(appliedVia, toVersion,
                    $"{outcomes.Count} migration(s): {string.Join(", ", outcomes.Select(o => o.Migration.Version))}", _options.Actor),
                    cancellationToken);
            }

            runActivity?.SetStatus(ActivityStatusCode.Ok);
            return new MigrationRunResult(direction, fromVersion, toVersion, outcomes, accepted);
        }
        catch (Exception ex)
        {
            runActivity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            runActivity?.AddException(ex);
            throw;
        }
    }

    /// <summary>
    /// Session settings for a run. A client that dies (kill -9, a lost network) is noticed by the server only when it
    /// next writes to the socket, so a long statement would keep running, and keep its locks, with nobody waiting for
    /// it; PostgreSQL 14 and later can check the connection while a statement runs, and roll it back at once.
    /// </summary>
    private static async Task PrepareSessionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (connection.PostgreSqlVersion.Major >= 14)
        {
            await ExecuteAsync(connection, null, "SET client_connection_check_interval = 1000", cancellationToken);
        }
    }

    private async Task<MigrationOutcome> RunOneAsync(
        NpgsqlConnection connection, KnownMigration migration, MigrationDirection direction, string appliedVia, CancellationToken cancellationToken)
    {
        using var activity = StartMigrationActivity(connection, migration, direction);

        var started = Stopwatch.GetTimestamp();
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = migration.Transactional ? await connection.BeginTransactionAsync(cancellationToken) : null;
            var schema = new LiveSchema(connection, transaction);
            var script = Scripter.Script(migration, direction, schema);
            var checksum = schema.WasQueried ? null : script.Checksum;

            var rows = await ExecuteStepsAsync(connection, transaction, Bookend(script, appliedVia, checksum), cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            var duration = Stopwatch.GetElapsedTime(started);
            activity?.SetTag(MigrationTelemetry.Attributes.DurationMs, duration.TotalMilliseconds);
            activity?.SetTag(MigrationTelemetry.Attributes.RowsAffected, rows);
            activity?.SetStatus(ActivityStatusCode.Ok);
            Record(connection, direction, "success", duration);
            return new MigrationOutcome(migration, direction, duration, rows);
        }
        catch (Exception ex)
        {
            if (transaction is not null && !transaction.IsCompleted())
            {
                await TryRollbackAsync(transaction);
            }

            var duration = Stopwatch.GetElapsedTime(started);
            activity?.SetTag(MigrationTelemetry.Attributes.DurationMs, duration.TotalMilliseconds);
            activity?.SetTag(MigrationTelemetry.Attributes.ErrorType, ex is PostgresException pg ? pg.SqlState : ex.GetType().FullName);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.AddException(ex);
            Record(connection, direction, "failure", duration);

            if (ex is OperationCanceledException)
            {
                throw;
            }

            await TryRecordFailureAsync(connection, migration, direction, ex);
            throw ex as MigrationException ?? new MigrationFailedException(migration, direction, ex);
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    /// <summary>Runs steps in order; consecutive SQL goes to the server as one multi-statement command.</summary>
    private static async Task<long> ExecuteStepsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<ScriptStep> steps, CancellationToken cancellationToken)
    {
        long rows = 0;
        var batch = new StringBuilder();

        async Task FlushAsync()
        {
            if (batch.Length > 0)
            {
                rows += Math.Max(0, await ExecuteAsync(connection, transaction, batch.ToString(), cancellationToken));
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
                    rows += Math.Max(0, await ExecuteAsync(connection, null, sql.Statement, cancellationToken));
                    break;
                case ScriptStep.Code code:
                    await FlushAsync();
                    code.Operation(connection, transaction);
                    break;
            }
        }

        await FlushAsync();

        // The history row itself is one of the rows counted.
        return Math.Max(0, rows - 1);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        // No client-side timeout: a long migration is bounded by statement_timeout on the server, if at all.
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task TryRecordFailureAsync(NpgsqlConnection connection, KnownMigration migration, MigrationDirection direction, Exception error)
    {
        try
        {
            var message = error is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : error.Message;
            await ExecuteAsync(connection, null,
                MigrationHistory.EventSql(direction == MigrationDirection.Up ? "upgrade-failed" : "downgrade-failed", migration.Version, message, _options.Actor),
                CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The connection itself failed; the failure is still reported to the caller.
        }
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

    private static void Record(NpgsqlConnection connection, MigrationDirection direction, string outcome, TimeSpan duration)
    {
        var tags = new TagList
        {
            { MigrationTelemetry.Attributes.DbNamespace, connection.Database },
            { MigrationTelemetry.Attributes.Direction, DirectionTag(direction) },
            { MigrationTelemetry.Attributes.Outcome, outcome },
        };
        MigrationTelemetry.MigrationsApplied.Add(1, tags);
        MigrationTelemetry.MigrationDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>A migration's span, under the run's; <paramref name="startTime"/> for one that ran in a pipeline.</summary>
    private static Activity? StartMigrationActivity(
        NpgsqlConnection connection, KnownMigration migration, MigrationDirection direction, DateTimeOffset startTime = default)
    {
        var activity = MigrationTelemetry.ActivitySource.StartActivity(
            $"migration {migration.Version} {migration.Description}", ActivityKind.Internal, parentContext: default, startTime: startTime);
        TagDatabase(activity, connection, direction == MigrationDirection.Up ? "migrate up" : "migrate down");
        activity?.SetTag(MigrationTelemetry.Attributes.Version, migration.Version);
        activity?.SetTag(MigrationTelemetry.Attributes.Description, migration.Description);
        activity?.SetTag(MigrationTelemetry.Attributes.Direction, DirectionTag(direction));
        activity?.SetTag(MigrationTelemetry.Attributes.Transactional, migration.Transactional);
        return activity;
    }

    private static void TagDatabase(Activity? activity, NpgsqlConnection connection, string operation)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(MigrationTelemetry.Attributes.DbSystem, "postgresql");
        activity.SetTag(MigrationTelemetry.Attributes.DbNamespace, connection.Database);
        activity.SetTag(MigrationTelemetry.Attributes.DbOperation, operation);
        activity.SetTag(MigrationTelemetry.Attributes.ServerAddress, connection.Host);
        activity.SetTag(MigrationTelemetry.Attributes.ServerPort, connection.Port);
    }

    private static string DirectionTag(MigrationDirection direction) => direction == MigrationDirection.Up ? "up" : "down";

    private static void RefuseUnknown(MigrationPlan plan, string operation)
    {
        if (plan.Unknown.Count > 0)
        {
            throw new MigrationException(
                MigrationErrorKind.Refused,
                $"Target database is not up to date with this code: it has applied {string.Join(", ", plan.Unknown.Select(u => $"{u.Version} ({u.Description})"))}, " +
                $"which this code does not know. Pull the latest migrations before you {operation}.");
        }
    }

    private static MigrationException UnknownTarget(long target) =>
        new(MigrationErrorKind.InvalidInput, $"Unknown target version {target}: no migration has it (run 'history' to list them).");

    private static string Describe(IEnumerable<KnownMigration> migrations) => string.Join(", ", migrations.Select(m => m.ToString()));
}

internal static class NpgsqlTransactionExtensions
{
    /// <summary>Whether the transaction was committed or rolled back already (its connection is then null).</summary>
    public static bool IsCompleted(this NpgsqlTransaction transaction) => transaction.Connection is null;
}
