using Superset.Migrations.Engine;
using System.CommandLine;
using Superset.Migrations.Autogenerate;
using Superset.Migrations.Lint;
using Superset.Migrations.Schema;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>check</c>, for CI and before a deployment: the database is at head and agrees with the code. It refuses
/// (exit 4) edited, unknown or out-of-order migrations, models that changed without a migration, and objects changed
/// by hand in the database (drift); it exits 3 when the database is only behind, 0 when all is well.
/// </summary>
internal sealed class CheckCommand(CliOptions options) : ICliCommand
{
    public Command Command { get; } = new("check", "Check that the database is at head and agrees with the migrations, the models and its own schema, and lint what is pending (CI): exit 0, 3, 4, 6.")
    {
        options.ModelsAssembly,
    };

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenAsync(cancellationToken);
        var plan = await context.Migrations.Engine.PlanAsync(connection, cancellationToken);
        var changed = context.Migrations.Engine.Checksums.FindChanged(plan);
        var server = (await context.Database.ResolveAsync(cancellationToken)).ConnectionString;

        // Models against everything the migrations produce.
        DatabaseSchema? migrated = null;
        var modelDifferences = new List<string>();
        if (context.Migrations.Models.Tables.Count > 0)
        {
            migrated = await ShadowDatabase.ReadSchemaAsync(server, context.Migrations.Source, cancellationToken);
            modelDifferences.AddRange(SchemaDiffer.Compare(migrated, context.Migrations.Models).Changes.Select(c => $"models {c.Describe()}: run create"));
        }

        // The live schema against what the applied migrations produce.
        var drift = new List<string>();
        if (plan.Unknown.Count == 0)
        {
            var expected = plan.Pending.Count == 0 && migrated is not null
                ? migrated
                : await ShadowDatabase.ReadSchemaAsync(server, context.Migrations.Source.Only(plan.Applied.Select(a => a.Version)), cancellationToken);
            drift.AddRange(SchemaDrift.Describe(expected, await CatalogReader.ReadAsync(connection, cancellationToken)));
        }

        // What the pending migrations would do to production.
        var policy = context.Migrations.LintPolicy;
        var lint = policy.Apply(await MigrationLinter.LintAsync(server, context.Migrations.Source,
            plan.Pending.Where(m => policy.Covers(m.Version)).Select(m => m.Version).ToArray(), cancellationToken));
        var lintErrors = lint.Count(f => f.Fails);

        var disagreements = changed.Count + plan.Unknown.Count + plan.OutOfOrder.Count + modelDifferences.Count + drift.Count;
        var result = new CheckResult(
            await context.Database.DescribeAsync(cancellationToken),
            disagreements == 0 && lintErrors == 0 && plan.Pending.Count == 0,
            plan.Pending.Select(MigrationRef.From).ToArray(),
            plan.OutOfOrder.Select(MigrationRef.From).ToArray(),
            plan.Unknown.Select(MigrationRef.From).ToArray(),
            changed.Select(c => MigrationRef.From(c.Known)).ToArray(),
            drift,
            modelDifferences,
            lint.Select(LintEntry.From).ToArray());

        context.Output.Report(result, static json => json.CheckResult, () =>
        {
            context.Output.Line(Format.CurrentVersion(plan.Current));
            Section("⏳ Pending", result.Pending.Select(m => m.ToString()).ToArray(), "run 'upgrade'");
            Section("🔀 Out of order", result.OutOfOrder.Select(m => m.ToString()).ToArray(), "review them, then run 'merge'");
            Section("❌ Applied but unknown to this code", result.Unknown.Select(m => m.ToString()).ToArray(), "pull the latest migrations, or revert them with 'downgrade --unknown'");
            Section("❌ Edited after they were applied", result.Changed.Select(m => m.ToString()).ToArray(), "revert the edit and add a new migration");
            Section("❌ Models and migrations disagree", modelDifferences, "a model changed without a migration: run create");
            Section("❌ Changed by hand in the database (drift)", drift, "put the change in a migration, or undo it");
            Section(lintErrors > 0 ? "❌ Lint of the pending migrations" : "⚠️  Lint of the pending migrations",
                lint.Select(f => f.ToString()).ToArray(), "see 'lint'; allow a deliberate one with [AllowUnsafe]");
            if (plan.Unknown.Count > 0)
            {
                context.Output.Line("ℹ️  Drift was not checked: the database has migrations this code does not know.");
            }

            if (result.Ok)
            {
                context.Output.Line("✅ The database is at head and agrees with the migrations and the models");
            }
        });

        return disagreements > 0 ? ExitCodes.Refused
            : lintErrors > 0 ? ExitCodes.LintFailed
            : plan.Pending.Count > 0 ? ExitCodes.Behind
            : ExitCodes.Success;

        void Section(string title, IReadOnlyList<string> items, string advice)
        {
            if (items.Count == 0)
            {
                return;
            }

            context.Output.Line($"{title} ({items.Count}): {advice}");
            foreach (var item in items)
            {
                context.Output.Line($"   {item}");
            }
        }
    }
}
