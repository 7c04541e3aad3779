using System.CommandLine;
using Superset.MigrationWorker.Cli.Answers;
namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>history</c>: every known migration, applied or not, newest first.</summary>
internal sealed class HistoryCommand : ICliCommand, IReportsPlanOnly
{
    public Command Command { get; } = new("history", "List every migration, applied or not, newest first, with when and how it was applied.");

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var plan = await context.ReadPlanAsync(cancellationToken);

        var entries = plan.Source.Migrations
            .Select(known => plan.FindApplied(known.Version) is { } applied
                ? new HistoryEntry(known.Version, known.Description, "applied", applied.AppliedAt, applied.DurationMs, applied.AppliedBy, applied.AppliedVia,
                    applied.Transactional, applied.Irreversible, known.BreakingChange)
                : new HistoryEntry(known.Version, known.Description, plan.OutOfOrder.Contains(known) ? "out-of-order" : "pending", null, null, null, null,
                    known.Transactional, BreakingChange: known.BreakingChange))
            .Concat(plan.Unknown.Select(u => new HistoryEntry(
                u.Version, u.Description, u.Revertible ? "unknown-revertible" : "unknown", u.AppliedAt, u.DurationMs, u.AppliedBy, u.AppliedVia, u.Transactional, u.Irreversible)))
            .OrderByDescending(e => e.Version)
            .ToArray();

        context.Output.Report(new HistoryResult(await context.Database.DescribeAsync(cancellationToken), entries), static json => json.HistoryResult, () =>
        {
            context.Output.Line($"📜 Migration history ({entries.Length}, newest first)");
            var width = Math.Min(48, entries.Select(e => e.Description.Length).DefaultIfEmpty(0).Max());
            foreach (var entry in entries)
            {
                var description = entry.Description.Length > width ? entry.Description[..(width - 1)] + "…" : entry.Description.PadRight(width);
                var state = entry.State switch
                {
                    "applied" => $"✔ {Format.Time(entry.AppliedAt!.Value)}  {entry.DurationMs} ms  {entry.AppliedVia} by {entry.AppliedBy}",
                    "unknown" when entry.Irreversible is not null => $"? applied {Format.Time(entry.AppliedAt!.Value)}, unknown to this code",
                    "unknown" => $"? applied {Format.Time(entry.AppliedAt!.Value)}, unknown to this code (only its code can revert it)",
                    "unknown-revertible" => $"? applied {Format.Time(entry.AppliedAt!.Value)}, unknown to this code (revertible: downgrade --unknown)",
                    "out-of-order" => "⏳ pending, out of order (apply with 'merge')",
                    _ => "⏳ pending",
                };
                var marks = (entry.Transactional ? "" : "  [no transaction]") + (entry.BreakingChange ? "  [breaking change]" : "") +
                            (entry.Irreversible is { } why ? $"  [irreversible: {why}]" : "");
                context.Output.Line($"   {entry.Version}  {description}  {state}{marks}");
            }
        });

        return ExitCodes.Success;
    }
}
