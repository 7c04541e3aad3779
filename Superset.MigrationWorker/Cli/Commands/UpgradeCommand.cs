using Superset.Migrations.Backup;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>upgrade</c>: applies pending migrations in order, each in its own transaction, printing each with its time.</summary>
internal sealed class UpgradeCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "upgrade",
        "Apply pending migrations in order (all, or up to --target).",
        "upgrade [--target VERSION] [--sql] [--allow-changed] [--lock-timeout SECONDS] [--statement-timeout SECONDS]",
        [
            new("target", "VERSION", "Apply pending migrations up to and including this version."),
            BackupOptions.NoBackup,
            BackupOptions.Directory,
            BackupOptions.Keep,
            new("sql", null, "Print the exact SQL that would run, including the version-table writes; touch nothing."),
            new("allow-changed", null, "Accept applied migrations that were edited since (recorded in migrations.events)."),
            new("lock-timeout", "SECONDS", "PostgreSQL lock_timeout for migration statements: fail fast instead of queueing behind the app."),
            new("statement-timeout", "SECONDS", "PostgreSQL statement_timeout for migration statements."),
        ],
        Details: "Refuses when the database has migrations this code does not know, when applied migrations were edited,\n" +
                 "and when out-of-order migrations are pending (apply those with 'merge').");

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var request = new UpgradeRequest(context.Arguments.Version("target"), context.Arguments.Has("allow-changed"));
        await using var connection = await context.OpenAsync(cancellationToken);
        var plan = await context.Engine.PlanAsync(connection, cancellationToken);

        if (context.Arguments.Has("sql"))
        {
            return context.PrintSql(context.Engine.Scripts.Upgrade(plan, request));
        }

        // Checked before anything is said or done; the engine checks again under the migration lock.
        var pending = MigrationSelector.ForUpgrade(plan, request);
        if (pending.Count > 0)
        {
            context.Line($"⬆️  Upgrading {await context.DescribeDatabaseAsync(cancellationToken)} from {plan.Current?.Version.ToString() ?? "an empty schema"}: {pending.Count} migration(s)");
        }

        BackupFile? backup = null;
        var result = await context.Engine.UpgradeAsync(connection, request, new ConsoleMigrationObserver(context),
            context.BackupBeforeApplying(taken => backup = taken), cancellationToken);
        return await RunReport.WriteAsync(context, result, backup?.Path, cancellationToken);
    }
}
