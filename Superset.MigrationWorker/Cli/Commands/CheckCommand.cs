using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>check</c>: for CI and before a deployment: the database is at head and matches the code (no edited, unknown
/// or out-of-order migrations). Exit 0 when all is well, 3 when behind, 4 when something disagrees.
/// </summary>
internal sealed class CheckCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "check",
        "Check that the database is at head and agrees with the code; exit non-zero when not (for CI).",
        "check [--json]",
        []);

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.OpenAsync(cancellationToken);
        var plan = await context.Engine.PlanAsync(connection, cancellationToken);
        var changed = context.Engine.FindChanged(plan);

        var disagreements = changed.Count + plan.Unknown.Count + plan.OutOfOrder.Count;
        var result = new CheckResult(
            await context.DescribeDatabaseAsync(cancellationToken),
            disagreements == 0 && plan.Pending.Count == 0,
            plan.Pending.Select(MigrationRef.From).ToArray(),
            plan.OutOfOrder.Select(MigrationRef.From).ToArray(),
            plan.Unknown.Select(MigrationRef.From).ToArray(),
            changed.Select(c => MigrationRef.From(c.Known)).ToArray(),
            Drift: [],
            ModelDifferences: []);

        context.Report(result, CliJson.Default.CheckResult, () =>
        {
            context.Line(Format.CurrentVersion(plan.Current));
            Section("⏳ Pending", result.Pending, "run 'upgrade'");
            Section("🔀 Out of order", result.OutOfOrder, "review them, then run 'merge'");
            Section("❌ Applied but unknown to this code", result.Unknown, "pull the latest migrations");
            Section("❌ Edited after they were applied", result.Changed, "revert the edit and add a new migration");
            if (result.Ok)
            {
                context.Line("✅ The database is at head and agrees with the code");
            }
        });

        return disagreements > 0 ? ExitCodes.Refused : plan.Pending.Count > 0 ? ExitCodes.Behind : ExitCodes.Success;

        void Section(string title, IReadOnlyList<MigrationRef> migrations, string advice)
        {
            if (migrations.Count == 0)
            {
                return;
            }

            context.Line($"{title} ({migrations.Count}): {advice}");
            foreach (var migration in migrations)
            {
                context.Line(Format.Row(migration.Version, migration.Description));
            }
        }
    }
}
