using FluentMigrator;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli;

/// <summary>Prints each migration as it runs, with its time; quiet with --json (the result carries the same).</summary>
internal sealed class ConsoleMigrationObserver(CommandContext context) : IMigrationObserver
{
    public void OnLockWaiting(LockHolder? holder) =>
        context.Warn($"⏳ Waiting for the migration lock, held by {holder?.ToString() ?? "another session"}…");

    public void OnMigrationStarting(MigrationRef migration, MigrationDirection direction)
    {
        if (!context.Json)
        {
            context.Environment.Out.Write($"   {(direction == MigrationDirection.Up ? "⬆" : "⬇")} {migration.Version}  {migration.Description} … ");
            context.Environment.Out.Flush();
        }
    }

    public void OnMigrationCompleted(MigrationOutcome outcome) => context.Line(Format.Milliseconds(outcome.Duration));
}
