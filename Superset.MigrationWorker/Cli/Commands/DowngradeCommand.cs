using FluentMigrator;
using Superset.Migrations.Backup;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>downgrade</c>: reverts the last applied migration (or more), saying first what it reverts.</summary>
internal sealed class DowngradeCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "downgrade",
        "Roll back the last applied migration, the last N (--steps), or all above a version (--target VERSION|base).",
        "downgrade [--target VERSION|base | --steps N] [--sql] [--lock-timeout SECONDS] [--statement-timeout SECONDS]",
        [
            new("target", "VERSION", "Revert every applied migration above this version ('base': revert them all)."),
            new("steps", "N", "Revert the last N applied migrations (default 1)."),
            BackupOptions.NoBackup,
            BackupOptions.Directory,
            BackupOptions.Keep,
            new("sql", null, "Print the exact SQL that would run; touch nothing."),
            new("lock-timeout", "SECONDS", "PostgreSQL lock_timeout for migration statements."),
            new("statement-timeout", "SECONDS", "PostgreSQL statement_timeout for migration statements."),
        ],
        Details: "Migrations are reverted newest-applied first, each in its own transaction. Reverting can lose data.");

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Arguments.Has("target") && context.Arguments.Has("steps"))
        {
            throw new UsageException("Give --target or --steps, not both.");
        }

        var target = context.Arguments.Value("target") switch
        {
            null => (long?)null,
            "base" => 0,
            var value => ParsedArguments.ParseVersion(value, "--target"),
        };
        var request = new DowngradeRequest(target, context.Arguments.Integer("steps", min: 1));

        await using var connection = await context.OpenAsync(cancellationToken);
        var plan = await context.Engine.PlanAsync(connection, cancellationToken);
        if (context.Arguments.Has("sql"))
        {
            return context.PrintSql(context.Engine.Scripts.Downgrade(plan, request));
        }

        var toRevert = MigrationSelector.ForDowngrade(plan, request);
        if (toRevert.Count == 0)
        {
            context.Line(plan.Applied.Count == 0 ? "✅ Nothing to roll back: no migrations are applied" : "✅ Nothing to roll back: already at the target");
            return await RunReport.WriteAsync(context, new MigrationRunResult(MigrationDirection.Down, plan.Current?.Version, plan.Current?.Version, [], []), null, cancellationToken);
        }

        context.Warn($"⚠️  WARNING: rolling back {toRevert.Count} migration(s) can lose data: tables and columns they created are dropped.");
        context.Line($"⬇️  Downgrading {await context.DescribeDatabaseAsync(cancellationToken)}, reverting:");
        BackupFile? backup = null;
        var result = await context.Engine.DowngradeAsync(connection, request, new ConsoleMigrationObserver(context),
            context.BackupBeforeApplying(taken => backup = taken), cancellationToken);
        return await RunReport.WriteAsync(context, result, backup?.Path, cancellationToken);
    }
}
