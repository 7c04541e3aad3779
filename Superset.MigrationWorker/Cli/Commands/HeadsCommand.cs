using Superset.Migrations.Engine;
using System.CommandLine;
using Superset.MigrationWorker.Cli.Answers;
namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>heads</c>: FluentMigrator's version line has no branches, but parallel work still diverges: a migration older
/// than the newest applied one is a second head until it is merged.
/// </summary>
internal sealed class HeadsCommand : ICliCommand, IReportsPlanOnly
{
    public Command Command { get; } = new("heads", "Show the head and any out-of-order migrations that need a merge.");

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var plan = await context.ReadPlanAsync(cancellationToken);
        var result = new HeadsResult(
            plan.Head is null ? null : MigrationRef.From(plan.Head),
            plan.Current is null ? null : MigrationRef.From(plan.Current),
            plan.OutOfOrder.Select(MigrationRef.From).ToArray());

        context.Output.Report(result, static json => json.HeadsResult, () =>
        {
            context.Output.Line($"🔝 Head: {result.Head?.ToString() ?? "none (no migrations)"}");
            if (plan.OutOfOrder.Count == 0)
            {
                context.Output.Line("✅ One head: nothing to merge");
                return;
            }

            context.Output.Line($"🔀 Out-of-order migrations ({plan.OutOfOrder.Count}), older than the current version {plan.Current!.Version} and not applied:");
            foreach (var migration in plan.OutOfOrder)
            {
                context.Output.Line(Format.Row(migration.Version, migration.Description));
            }

            context.Output.Line("   Review them, then run 'merge' to apply them.");
        });

        return plan.OutOfOrder.Count == 0 ? ExitCodes.Success : ExitCodes.Behind;
    }
}
