using FluentMigrator;
using Superset.Migrations.Backup;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>merge</c>: applies the out-of-order migrations a plain upgrade refuses (two branches of work met): the seed's
/// "merge heads", for a version line without branches.
/// </summary>
internal sealed class MergeCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "merge",
        "Apply out-of-order migrations (older than the current version, not applied) after review.",
        "merge [--sql]",
        [
            BackupOptions.NoBackup,
            BackupOptions.Directory,
            BackupOptions.Keep,
            new("sql", null, "Print the exact SQL that would run; touch nothing."),
        ]);

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var request = new UpgradeRequest(Merge: true);
        await using var connection = await context.OpenAsync(cancellationToken);
        var plan = await context.Engine.PlanAsync(connection, cancellationToken);

        if (context.Arguments.Has("sql"))
        {
            return context.PrintSql(context.Engine.Scripts.Upgrade(plan, request));
        }

        if (plan.OutOfOrder.Count == 0)
        {
            context.Line("✅ Nothing to merge: no out-of-order migrations");
            return await RunReport.WriteAsync(context, new MigrationRunResult(MigrationDirection.Up, plan.Current?.Version, plan.Current?.Version, [], []), null, cancellationToken);
        }

        context.Line($"🔀 Merging {plan.OutOfOrder.Count} out-of-order migration(s) into {await context.DescribeDatabaseAsync(cancellationToken)}:");
        BackupFile? backup = null;
        var result = await context.Engine.UpgradeAsync(connection, request, new ConsoleMigrationObserver(context),
            context.BackupBeforeApplying(taken => backup = taken), cancellationToken);
        return await RunReport.WriteAsync(context, result, backup?.Path, cancellationToken);
    }
}
