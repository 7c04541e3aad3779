using FluentMigrator;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli;

/// <summary>Prints each migration as it runs, with its time; quiet with --json (the result carries the same).</summary>
internal sealed class ConsoleMigrationObserver(CommandContext context) : IMigrationObserver
{
    public void OnLockWaiting(LockHolder? holder) =>
        context.Output.Warn($"⏳ Waiting for the migration lock, held by {holder?.ToString() ?? "another session"}…");

    public void OnMigrationStarting(MigrationRef migration, MigrationDirection direction)
    {
        if (!context.Output.Json)
        {
            context.Environment.Out.Write($"   {(direction == MigrationDirection.Up ? "⬆" : "⬇")} {migration.Version}  {migration.Description} … ");
            context.Environment.Out.Flush();
        }
    }

    public void OnMigrationCompleted(MigrationOutcome outcome) => context.Output.Line(Format.Milliseconds(outcome.Duration));

    public void OnLockTimeoutRetry(MigrationRef migration, TimeSpan lockTimeout, int attempt, TimeSpan pause, TimeSpan budgetLeft)
    {
        if (!context.Output.Json)
        {
            context.Output.Line("lock timeout");
        }

        context.Output.Warn($"⏳ {migration} waited {lockTimeout.TotalSeconds:0.##} s for a lock another session holds (attempt {attempt}), and was rolled back; " +
                     $"trying again in {pause.TotalSeconds:0.##} s ({budgetLeft.TotalSeconds:0} s of the retry budget left)");
    }
}
