using Superset.Migrations.Backup;

namespace Superset.MigrationWorker.Worker;

/// <summary>The <c>Worker</c> section: what the worker does when started without a command.</summary>
internal sealed class WorkerOptions
{
    public const string Section = "Worker";

    public WorkerTask Task { get; set; } = WorkerTask.Migrate;
}

/// <summary>The <c>Migrations</c> section.</summary>
internal sealed class MigrationsOptions
{
    public const string Section = "Migrations";
    public const string BeforeUpgrade = "before-upgrade";
    public const string None = "none";

    /// <summary>
    /// <c>before-upgrade</c> (the default): nothing migrates without a backup; <c>none</c>: backups are taken elsewhere
    /// (the AppHost's backup step, the platform).
    /// </summary>
    public string Backup { get; set; } = BeforeUpgrade;

    public const string Refuse = "refuse";
    public const string Revert = "revert";

    /// <summary>
    /// Applied migrations this build does not know (a branch switch): <c>refuse</c> (the default: nothing is dropped by
    /// itself), or <c>revert</c> them from the Down() SQL their history stored, after a backup, then upgrade. Revert
    /// applies in Development only: anywhere else the worker still refuses.
    /// </summary>
    public string UnknownMigrations { get; set; } = Refuse;

    /// <summary>
    /// Seconds a migration statement waits for a lock before it fails (and is tried again twice): PostgreSQL's
    /// lock_timeout, so that a migration behind a long transaction does not queue every query of the app. 0: none.
    /// </summary>
    public double LockTimeout { get; set; } = Superset.Migrations.Engine.MigrationEngineOptions.DefaultLockTimeout.TotalSeconds;

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

    public Superset.Migrations.Engine.MigrationFilter Filter => new(
        (Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        string.IsNullOrWhiteSpace(Profile) ? null : Profile.Trim());
}

/// <summary>The <c>Backup</c> section: where backups go, how many are kept, which pg_dump takes them.</summary>
internal sealed class BackupOptions
{
    public const string Section = "Backup";

    /// <summary>The backups folder; <c>backups/</c> at the root of the checkout (else the current folder) when not set.</summary>
    public string? Directory { get; set; }

    public int Keep { get; set; } = BackupSettings.DefaultKeep;

    public string? BinDirectory { get; set; }

    public BackupSettings ToSettings() =>
        new(Directory ?? BackupSettings.DefaultDirectory(System.IO.Directory.GetCurrentDirectory()), Keep, BinDirectory);
}
