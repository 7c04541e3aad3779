using FluentMigrator;
namespace Superset.Migrations.Engine;

/// <summary>How the engine behaves for a whole run.</summary>
public sealed record MigrationEngineOptions
{
    /// <summary>How long a runner waits for another's migration lock unless told otherwise.</summary>
    public static readonly TimeSpan DefaultLockWait = TimeSpan.FromMinutes(2);

    /// <summary>How long to wait for another runner's migration lock before giving up.</summary>
    public TimeSpan LockWait { get; init; } = DefaultLockWait;

    /// <summary>
    /// How long a migration statement waits for a lock unless told otherwise. While it waits, every query of the app on
    /// that table queues behind it: with 5 s, a migration behind a 12 s reader made the app's queries wait up to 4.97 s
    /// (p99 4.8 s); with 0.2 s per attempt and retries (GitLab runs its migrations so), the app never waits long.
    /// </summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(0.2);

    /// <summary>How long a migration keeps trying to get its locks, attempts and pauses together, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultLockRetryBudget = TimeSpan.FromMinutes(3);

    /// <summary>
    /// PostgreSQL <c>lock_timeout</c> for migration statements, per attempt (null: none, and no retries): a migration that
    /// waits behind a long transaction gives up in a moment and is tried again, instead of queueing every query of the
    /// app behind the lock it waits for.
    /// </summary>
    public TimeSpan? LockTimeout { get; init; } = DefaultLockTimeout;

    /// <summary>How long a migration that hit the lock timeout is tried again (it was rolled back each time), pauses included.</summary>
    public TimeSpan LockRetryBudget { get; init; } = DefaultLockRetryBudget;

    /// <summary>The pause before the first retry; each next one is half as long again (with jitter), up to <see cref="LockRetryMaxPause"/>.</summary>
    public TimeSpan LockRetryFirstPause { get; init; } = TimeSpan.FromSeconds(0.25);

    public TimeSpan LockRetryMaxPause { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>PostgreSQL <c>statement_timeout</c> for migration statements.</summary>
    public TimeSpan? StatementTimeout { get; init; }

    /// <summary>Who runs the engine, recorded in the history (<c>user@host (tool)</c>).</summary>
    public string Actor { get; init; } = DefaultActor("engine");

    public static string DefaultActor(string tool) => $"{Environment.UserName}@{Environment.MachineName} ({tool})";
}

/// <summary>What an upgrade applies.</summary>
/// <param name="Target">Apply pending migrations up to and including this version; all when null.</param>
/// <param name="AllowChanged">Accept applied migrations whose SQL changed, recording the new checksum and an event.</param>
/// <param name="Merge">Apply the out-of-order migrations (and only those) instead of refusing them.</param>
/// <param name="RevertUnknown">
/// First revert applied migrations this code does not know (another branch's), from the Down() SQL their history rows
/// stored, instead of refusing: what F5 does in Development.
/// </param>
/// <param name="AllowBreakingChanges">
/// Apply migrations marked <c>[Migration(…, BreakingChange = true)]</c>, which FluentMigrator's runner refuses unless told.
/// </param>
public sealed record UpgradeRequest(
    long? Target = null, bool AllowChanged = false, bool Merge = false, bool RevertUnknown = false, bool AllowBreakingChanges = false)
{
    /// <summary>How a throwaway database is built from migrations (autogenerate, lint, drift, adoption, <c>--sql</c>): all of them.</summary>
    public static UpgradeRequest Replay(long? target = null) => new(target, AllowBreakingChanges: true);
}

/// <summary>
/// What a downgrade reverts: the last <paramref name="Steps"/> applied, or everything above <paramref name="Target"/>;
/// with <paramref name="Unknown"/>, the applied migrations this code does not know (and, with a target, those first).
/// </summary>
public sealed record DowngradeRequest(long? Target = null, int? Steps = null, bool Unknown = false);

/// <summary>One migration applied or reverted.</summary>
/// <param name="Migration">A migration of this code, or one reverted from the SQL its history row stored.</param>
public sealed record MigrationOutcome(MigrationRef Migration, MigrationDirection Direction, TimeSpan Duration, long RowsAffected);

/// <summary>What a run did.</summary>
/// <param name="RevertedUnknown">Migrations this code does not know, reverted first from their stored Down() SQL.</param>
public sealed record MigrationRunResult(
    MigrationDirection Direction,
    long? FromVersion,
    long? ToVersion,
    IReadOnlyList<MigrationOutcome> Migrations,
    IReadOnlyList<long> AcceptedChanges,
    IReadOnlyList<MigrationOutcome>? RevertedUnknown = null)
{
    public IReadOnlyList<MigrationOutcome> Reverted => RevertedUnknown ?? [];

    /// <summary>The maintenance and profile migrations the run ran, in order (not recorded in the history).</summary>
    public IReadOnlyList<MigrationOutcome> Maintenance { get; init; } = [];

    /// <summary>The plan as the run left it (read under the lock, after its last change): what a report says without reading again.</summary>
    public MigrationPlan? Plan { get; init; }
}

/// <summary>An applied migration whose SQL is no longer what ran.</summary>
public sealed record ChangedMigration(AppliedMigration Applied, KnownMigration Known, string CurrentChecksum);

/// <summary>
/// Runs under the migration lock, on the run's connection, once a run knows it will change something, before the
/// first change: where the command line and the workers take their backup, so that concurrent runners do not each take one.
/// </summary>
public delegate Task BeforeApplying(
    Npgsql.NpgsqlConnection connection, MigrationPlan plan, IReadOnlyList<KnownMigration> migrations, CancellationToken cancellationToken);

/// <summary>Progress of a run, for a console or a log; every member is optional.</summary>
public interface IMigrationObserver
{
    void OnLockWaiting(LockHolder? holder)
    {
    }

    void OnMigrationStarting(MigrationRef migration, MigrationDirection direction)
    {
    }

    void OnMigrationCompleted(MigrationOutcome outcome)
    {
    }

    /// <summary>
    /// A migration waited lock_timeout for a lock another session holds, was rolled back, and is tried again after
    /// <paramref name="pause"/>: attempt <paramref name="attempt"/> failed, and <paramref name="budgetLeft"/> of the retry budget is left.
    /// </summary>
    void OnLockTimeoutRetry(MigrationRef migration, TimeSpan lockTimeout, int attempt, TimeSpan pause, TimeSpan budgetLeft)
    {
    }
}
