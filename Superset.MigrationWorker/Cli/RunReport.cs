using FluentMigrator;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli;

/// <summary>How upgrade, merge and downgrade report a run, from the plan the run left.</summary>
internal static class RunReport
{
    public static async Task<int> WriteAsync(CommandContext context, MigrationRunResult result, string? backup, CancellationToken cancellationToken)
    {
        var plan = result.Plan ?? throw new InvalidOperationException("A run's result carries the plan it left.");
        var report = new RunResult(
            await context.Database.DescribeAsync(cancellationToken),
            result.Direction == MigrationDirection.Up ? "up" : "down",
            result.FromVersion,
            result.ToVersion,
            result.Migrations.Select(Entry).ToArray(),
            result.AcceptedChanges,
            backup,
            result.Reverted.Select(Entry).ToArray());

        var output = context.Output;
        output.Report(report, static json => json.RunResult, () =>
        {
            if (result.Reverted.Count > 0)
            {
                output.Line($"↩️  Reverted {result.Reverted.Count} migration(s) unknown to this code, from the Down() SQL stored when they ran.");
            }

            foreach (var version in result.AcceptedChanges)
            {
                output.Line($"⚠️  Accepted the edited migration {version} (--allow-changed); recorded in migrations.events.");
            }

            if (result.Migrations.Count == 0 && result.Direction == MigrationDirection.Up && plan.Pending.Count == 0)
            {
                output.Line(Format.NoPending);
            }

            output.Line(Format.CurrentVersion(plan.Current));
            if (result.Direction == MigrationDirection.Up && plan.Pending.Count > 0)
            {
                output.Line($"ℹ️  {plan.Pending.Count} migration(s) still pending: {string.Join(", ", plan.Pending.Select(p => p.Version))}.");
            }
        });
        return ExitCodes.Success;
    }

    private static AppliedEntry Entry(MigrationOutcome outcome) =>
        new(outcome.Migration.Version, outcome.Migration.Description, outcome.Duration.TotalMilliseconds, outcome.RowsAffected);
}
