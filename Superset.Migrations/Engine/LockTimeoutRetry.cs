using System.Diagnostics;
using Npgsql;
using Superset.Migrations.Telemetry;

namespace Superset.Migrations.Engine;

/// <summary>
/// A migration that waited <c>lock_timeout</c> for a table another session holds (a long transaction, a report) is rolled
/// back with nothing applied; it is tried again after a pause, a couple of times, before the run fails saying so. The
/// migrations before it stay applied, and the retry starts from it. Each retry is told to the observer and marked on
/// the run's span.
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
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Steps complete in order: the retry starts from the first that did not.
                await execute(outcomes.Count, collector);
                return outcomes;
            }
            catch (MigrationFailedException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable })
            {
                var attempts = options.LockTimeoutRetries + 1;
                var timeout = options.LockTimeout ?? TimeSpan.Zero;
                if (attempt >= attempts)
                {
                    throw new MigrationException(MigrationErrorKind.Failed,
                        $"Migration {ex.Migration} could not get a lock within the lock timeout ({timeout.TotalSeconds:0.#} s), {attempts} times: " +
                        "another session holds a lock on a table it changes (a long transaction?). Nothing of it was applied; the migrations before it were. " +
                        "End that transaction, or raise --lock-timeout (Migrations:LockTimeout), then run it again.", ex);
                }

                var pause = options.LockTimeoutRetryPause * Math.Pow(2, attempt - 1);
                observer?.OnLockTimeoutRetry(ex.Migration, timeout, attempt, attempts, pause);
                Activity.Current?.AddEvent(new ActivityEvent("lock timeout retry", tags: new ActivityTagsCollection
                {
                    [MigrationTelemetry.Attributes.Version] = ex.Migration.Version,
                    ["superset.retry.attempt"] = attempt,
                    ["superset.retry.pause_ms"] = pause.TotalMilliseconds,
                }));
                await Task.Delay(pause, cancellationToken);
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
    }
}
