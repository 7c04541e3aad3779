namespace Superset.MigrationWorker.Worker;

/// <summary>What the worker does when started without a command (configuration key <c>Worker:Task</c>).</summary>
internal enum WorkerTask
{
    /// <summary>Apply every pending migration (taking a backup first unless <c>Migrations:Backup</c> is <c>none</c>).</summary>
    Migrate,

    /// <summary>Take the pre-upgrade backup when something is pending: the AppHost's backup step.</summary>
    Backup,
}
