using Superset.Migrations.Engine;

namespace Superset.Migrations.Settings;

/// <summary>
/// The <c>Migrations</c> section: how the worker migrates (bound as options), what the AppHost tells it, and what the
/// command line reads from the worker's environment when a dashboard command runs it.
/// </summary>
public sealed class MigrationsSettings : IValidatedSettings
{
    public const string Section = "Migrations";
    public const string BeforeUpgrade = "before-upgrade";
    public const string None = "none";
    public const string Refuse = "refuse";
    public const string Revert = "revert";

    public static class Keys
    {
        public const string Enabled = "Migrations:Enabled";
        public const string Backup = "Migrations:Backup";
        public const string UnknownMigrations = "Migrations:UnknownMigrations";
        public const string LockTimeout = "Migrations:LockTimeout";
        public const string LockRetryBudget = "Migrations:LockRetryBudget";
        public const string StartupWait = "Migrations:StartupWait";
        public const string Tags = "Migrations:Tags";
        public const string Profile = "Migrations:Profile";
        public const string AllowBreakingChanges = "Migrations:AllowBreakingChanges";
        public const string SeedDataset = "Migrations:SeedDataset";
    }

    /// <summary>The AppHost: whether it runs the migration worker at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// <c>before-upgrade</c> (the default): nothing migrates without a backup; <c>none</c>: backups are taken elsewhere
    /// (the AppHost's backup step, the platform).
    /// </summary>
    public string Backup { get; set; } = BeforeUpgrade;

    /// <summary>
    /// Applied migrations this build does not know (a branch switch): <c>refuse</c>, or <c>revert</c> them from the Down()
    /// SQL their history stored, after a backup, then upgrade (Development only). Unset: the AppHost chooses <c>revert</c>
    /// in Development, the worker alone refuses.
    /// </summary>
    public string? UnknownMigrations { get; set; }

    /// <summary>
    /// Seconds a migration statement waits for a lock before its attempt fails (and is tried again, within
    /// <see cref="LockRetryBudget"/>): PostgreSQL's lock_timeout, so that a migration behind a long transaction does not
    /// queue every query of the app. 0: none (wait as long as it takes, no retries).
    /// </summary>
    public double LockTimeout { get; set; } = MigrationEngineOptions.DefaultLockTimeout.TotalSeconds;

    /// <summary>Seconds a migration keeps trying to get its locks, attempts and pauses together.</summary>
    public double LockRetryBudget { get; set; } = MigrationEngineOptions.DefaultLockRetryBudget.TotalSeconds;

    public TimeSpan LockRetryBudgetTime => TimeSpan.FromSeconds(LockRetryBudget);

    /// <summary>
    /// Seconds to wait for a database that is still starting (connection refused, or PostgreSQL's 57P03) before failing:
    /// under Compose or Kubernetes nothing starts the worker only once PostgreSQL is ready. A wrong password or a missing
    /// database fails at once.
    /// </summary>
    public double StartupWait { get; set; } = 60;

    /// <summary>FluentMigrator tags to run besides the untagged migrations (comma-separated).</summary>
    public string? Tags { get; set; }

    /// <summary>The FluentMigrator profile whose migrations run after each upgrade.</summary>
    public string? Profile { get; set; }

    /// <summary>Apply migrations marked BreakingChange (refused otherwise, as FluentMigrator's runner does).</summary>
    public bool AllowBreakingChanges { get; set; }

    /// <summary>
    /// The development seed dataset the worker runs after the upgrade, in Development only: the AppHost sets it to
    /// <c>default</c> when it runs (never when it publishes); <c>none</c> or unset: no seeding.
    /// </summary>
    public string? SeedDataset { get; set; }

    /// <summary>The dataset to seed after an upgrade; null when none.</summary>
    public string? SeedsAfterUpgrade => string.IsNullOrWhiteSpace(SeedDataset) || SeedDataset == None ? null : SeedDataset.Trim();

    public bool RevertsUnknown => UnknownMigrations == Revert;

    public MigrationFilter Filter => new(
        (Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        string.IsNullOrWhiteSpace(Profile) ? null : Profile.Trim());

    public TimeSpan? LockTimeoutOrNone => LockTimeout == 0 ? null : TimeSpan.FromSeconds(LockTimeout);

    public IEnumerable<string> Errors()
    {
        if (Backup is not (BeforeUpgrade or None))
        {
            yield return $"{Keys.Backup} '{Backup}' is not {BeforeUpgrade} or {None}.";
        }

        if (UnknownMigrations is not (null or Refuse or Revert))
        {
            yield return $"{Keys.UnknownMigrations} '{UnknownMigrations}' is not {Refuse} or {Revert}.";
        }

        if (LockTimeout is < 0 or > 86_400)
        {
            yield return $"{Keys.LockTimeout} must be a number of seconds from 0 (none) to 86400, not {LockTimeout}.";
        }

        if (LockRetryBudget is < 0 or > 86_400)
        {
            yield return $"{Keys.LockRetryBudget} must be a number of seconds from 0 (no retries) to 86400, not {LockRetryBudget}.";
        }

        if (StartupWait is < 0 or > 3_600)
        {
            yield return $"{Keys.StartupWait} must be a number of seconds from 0 to 3600, not {StartupWait}.";
        }
    }
}
