using FluentMigrator;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli;

/// <summary>How upgrade, merge and downgrade report a run.</summary>
internal static class RunReport
{
    public static async Task<int> WriteAsync(CommandContext context, MigrationRunResult result, string? backup, CancellationToken cancellationToken)
    {
        await using var connection = await context.OpenAsync(cancellationToken);
        var plan = await context.Engine.PlanAsync(connection, cancellationToken);
        var report = new RunResult(
            await context.DescribeDatabaseAsync(cancellationToken),
            result.Direction == MigrationDirection.Up ? "up" : "down",
            result.FromVersion,
            result.ToVersion,
            result.Migrations.Select(Entry).ToArray(),
            result.AcceptedChanges,
            backup,
            result.Reverted.Select(Entry).ToArray());

        context.Report(report, CliJson.Default.RunResult, () =>
        {
            if (result.Reverted.Count > 0)
            {
                context.Line($"↩️  Reverted {result.Reverted.Count} migration(s) unknown to this code, from the Down() SQL stored when they ran.");
            }

            foreach (var version in result.AcceptedChanges)
            {
                context.Line($"⚠️  Accepted the edited migration {version} (--allow-changed); recorded in migrations.events.");
            }

            if (result.Migrations.Count == 0 && result.Direction == MigrationDirection.Up && plan.Pending.Count == 0)
            {
                context.Line(Format.NoPending);
            }

            context.Line(Format.CurrentVersion(plan.Current));
            if (result.Direction == MigrationDirection.Up && plan.Pending.Count > 0)
            {
                context.Line($"ℹ️  {plan.Pending.Count} migration(s) still pending: {string.Join(", ", plan.Pending.Select(p => p.Version))}.");
            }
        });
        return ExitCodes.Success;
    }

    private static AppliedEntry Entry(MigrationOutcome outcome) =>
        new(outcome.Migration.Version, outcome.Migration.Description, outcome.Duration.TotalMilliseconds, outcome.RowsAffected);
}
