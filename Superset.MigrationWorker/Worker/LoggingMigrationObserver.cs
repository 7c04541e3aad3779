using FluentMigrator;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Worker;

/// <summary>Reports a run as structured logs, which the dashboard shows beside the spans they belong to.</summary>
internal sealed partial class LoggingMigrationObserver(ILogger logger) : IMigrationObserver
{
    public void OnLockWaiting(LockHolder? holder) => LogWaiting(holder?.ToString() ?? "another session");

    public void OnMigrationStarting(MigrationRef migration, MigrationDirection direction) =>
        LogStarting(direction == MigrationDirection.Up ? "Applying" : "Reverting", migration.Version, migration.Description);

    public void OnMigrationCompleted(MigrationOutcome outcome) =>
        LogCompleted(outcome.Migration.Version, outcome.Migration.Description, outcome.Duration.TotalMilliseconds);

    public void OnLockTimeoutRetry(MigrationRef migration, TimeSpan lockTimeout, int attempt, TimeSpan pause, TimeSpan budgetLeft) =>
        LogRetry(migration.ToString(), lockTimeout.TotalSeconds, attempt, Math.Round(pause.TotalSeconds, 2), Math.Round(budgetLeft.TotalSeconds));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migration {Migration} waited {LockTimeout} s for a lock another session holds (attempt {Attempt}), and was rolled back; trying again in {Pause} s ({BudgetLeft} s of the retry budget left)")]
    private partial void LogRetry(string migration, double lockTimeout, int attempt, double pause, double budgetLeft);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for the migration lock, held by {Holder}")]
    private partial void LogWaiting(string holder);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} migration {Version} ({Description})")]
    private partial void LogStarting(string action, long version, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration {Version} ({Description}) done in {DurationMs:0.0} ms")]
    private partial void LogCompleted(long version, string description, double durationMs);
}
