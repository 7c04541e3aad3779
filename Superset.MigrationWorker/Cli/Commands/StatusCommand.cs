using Superset.Migrations.Engine;
using System.CommandLine;
using Superset.MigrationWorker.Cli.Answers;
namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>status</c>: the current version, what is pending, and where migrations live. Exit 3 when behind.</summary>
internal sealed class StatusCommand : ICliCommand, IReportsPlanOnly
{
    public Command Command { get; } = new("status",
        "Show the current version, pending, out-of-order and unknown migrations: exit 0 at head, 3 behind, 4 unknown migrations.");

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var plan = await context.ReadPlanAsync(cancellationToken);
        var location = context.Value(context.Options.MigrationsAssembly) is null ? context.Migrations.Directory : null;
        var result = new StatusResult(
            PlanSummary.From(await context.Database.DescribeAsync(cancellationToken), plan),
            location ?? $"compiled into {plan.Source.Origin}");

        context.Output.Report(result, static json => json.StatusResult, () =>
        {
            context.Output.Line("📊 Migration status");
            context.Output.Line(Format.CurrentVersion(plan.Current));
            if (plan.AdoptionNotice is { } adopt)
            {
                context.Output.Line($"❌ {adopt}");
            }
            else if (plan.Pending.Count == 0)
            {
                context.Output.Line(Format.NoPending);
            }
            else
            {
                context.Output.Line($"⏳ Pending migrations ({plan.Pending.Count}):");
                foreach (var pending in plan.Pending)
                {
                    context.Output.Line(Format.Row(pending.Version, pending.Description) +
                                 (plan.OutOfOrder.Contains(pending) ? "   (out of order: apply with 'merge')" : string.Empty) +
                                 (pending.BreakingChange ? "   (breaking change: upgrade --allow-breaking-changes)" : string.Empty));
                }
            }

            if (plan.Unknown.Count > 0)
            {
                context.Output.Line($"❌ Applied, but unknown to this code ({plan.Unknown.Count}): the database is ahead (another branch's migrations?); " +
                             "pull the latest migrations, or revert them with 'downgrade --unknown'.");
                foreach (var unknown in plan.Unknown)
                {
                    context.Output.Line(Format.Row(unknown.Version, unknown.Description) +
                                 (unknown.Irreversible is { } why ? $"   (irreversible: {why})"
                                  : unknown.Revertible ? "   (revertible without its code)" : "   (only its code can revert it)"));
                }
            }

            context.Output.Line($"📁 Migrations location: {result.MigrationsLocation}");
        });

        return plan.Unknown.Count > 0 || plan.NeedsAdoption ? ExitCodes.Refused
            : plan.Pending.Count > 0 ? ExitCodes.Behind
            : ExitCodes.Success;
    }
}
