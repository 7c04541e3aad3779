namespace Superset.Migrations.Settings;

/// <summary>What the worker program does when started without a command (<c>Worker:Task</c>).</summary>
public enum WorkerTask
{
    /// <summary>Apply every pending migration (taking a backup first unless <c>Migrations:Backup</c> is <c>none</c>).</summary>
    Migrate,

    /// <summary>Take the pre-upgrade backup: the AppHost's backup step, started only when there is something to back up.</summary>
    Backup,
}

/// <summary>The <c>Worker</c> section, which the AppHost sets for the runs of the worker program it starts.</summary>
public sealed class WorkerSettings : IValidatedSettings
{
    public const string Section = "Worker";

    public static class Keys
    {
        public const string Task = "Worker:Task";

        /// <summary>A file the backup step writes its backup's path to, for the migration worker to name it (the AppHost sets it for both).</summary>
        public const string BackupHandover = "Worker:BackupHandover";
    }

    public WorkerTask Task { get; set; } = WorkerTask.Migrate;

    public string? BackupHandover { get; set; }

    public IEnumerable<string> Errors() => [];
}
