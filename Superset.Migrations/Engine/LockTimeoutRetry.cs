using System.Diagnostics;
using Npgsql;
using Superset.Migrations.Telemetry;

namespace Superset.Migrations.Engine;

/// <summary>
/// A migration that waited <c>lock_timeout</c> (a fraction of a second) for a table another session holds (a long
/// transaction, a report) is rolled back with nothing applied, and tried again after a pause that grows by half each
/// time (with jitter, so that two runners do not retry in step), until the retry budget is spent: the app's queries
/// queue behind the migration's lock request for at most one lock_timeout at a time, and the migration still gets its
/// lock as soon as the other session lets go. The migrations before it stay applied, and the retry starts from it.
/// Each retry is told to the observer and marked on the run's span, with the count of attempts.
/// </summary>
internal sealed class LockTimeoutRetry(MigrationEngineOptions options)
{
    /// <param name="execute">Runs the steps from the index it is given, telling each completed one to the observer it is given.</param>
    public async Task<List<MigrationOutcome>> RunAsync(
        IReadOnlyList<KnownMigration> steps, IMigrationObserver? observer,
        Func<int, IMigrationObserver, Task> execute, CancellationToken cancellationToken)
    {
        var outcomes = new List<MigrationOutcome>(steps.Count);
        var collector = new CollectingObserver(observer, outcomes);
        var clock = Stopwatch.StartNew();
        var pause = options.LockRetryFirstPause;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Steps complete in order: the retry starts from the first that did not.
                await execute(outcomes.Count, collector);
                if (attempt > 1)
                {
                    Activity.Current?.SetTag(MigrationTelemetry.Attributes.LockAttempts, attempt);
                }

                return outcomes;
            }
            catch (MigrationFailedException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable })
            {
                var timeout = options.LockTimeout ?? TimeSpan.Zero;
                var left = options.LockRetryBudget - clock.Elapsed;
                Activity.Current?.SetTag(MigrationTelemetry.Attributes.LockAttempts, attempt);
                if (left <= TimeSpan.Zero)
                {
                    throw new MigrationException(MigrationErrorKind.Failed,
                        $"Migration {ex.Migration} could not get a lock in {attempt} attempt(s) of {timeout.TotalSeconds:0.##} s over {clock.Elapsed.TotalSeconds:0.#} s: " +
                        "another session holds a lock on a table it changes (a long transaction?). Nothing of it was applied; the migrations before it were. " +
                        "End that transaction, or give it longer (--lock-retry-budget, Migrations:LockRetryBudget), then run it again.", ex);
                }

                var next = TimeSpan.FromTicks(Math.Min((long)(pause.Ticks * (0.75 + Random.Shared.NextDouble() / 2)), left.Ticks));
                observer?.OnLockTimeoutRetry(ex.Migration, timeout, attempt, next, left);
                Activity.Current?.AddEvent(new ActivityEvent("lock timeout retry", tags: new ActivityTagsCollection
                {
                    [MigrationTelemetry.Attributes.Version] = ex.Migration.Version,
                    ["superset.retry.attempt"] = attempt,
                    ["superset.retry.pause_ms"] = next.TotalMilliseconds,
                }));
                await Task.Delay(next, cancellationToken);
                pause = TimeSpan.FromTicks(Math.Min((long)(pause.Ticks * 1.5), options.LockRetryMaxPause.Ticks));
            }
        }
    }

    /// <summary>Collects what completed (whichever executor ran it) and passes everything on.</summary>
    private sealed class CollectingObserver(IMigrationObserver? inner, List<MigrationOutcome> outcomes) : IMigrationObserver
    {
        public void OnLockWaiting(LockHolder? holder) => inner?.OnLockWaiting(holder);

        public void OnMigrationStarting(MigrationRef migration, FluentMigrator.MigrationDirection direction) => inner?.OnMigrationStarting(migration, direction);

        public void OnMigrationCompleted(MigrationOutcome outcome)
        {
            outcomes.Add(outcome);
            inner?.OnMigrationCompleted(outcome);
        }

        public void OnLockTimeoutRetry(MigrationRef migration, TimeSpan lockTimeout, int attempt, TimeSpan pause, TimeSpan budgetLeft) =>
            inner?.OnLockTimeoutRetry(migration, lockTimeout, attempt, pause, budgetLeft);
    }
}
