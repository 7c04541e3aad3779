using System.CommandLine;
using Superset.Migrations.Engine;
using Superset.Migrations.Lint;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>lint</c>: what the pending migrations (or all, or one) would do to a production database, read from the SQL they
/// really send, replayed on a throwaway database of the same server. Exit 6 when an error-level finding is not
/// suppressed with <c>[AllowUnsafe]</c>.
/// </summary>
internal sealed class LintCommand : ICliCommand
{
    private readonly Option<bool> _all = new("--all") { Description = "Lint every migration, applied or not." };

    private readonly Option<long?> _version = new("--version")
    {
        Description = "Lint this migration only.",
        HelpName = "VERSION",
        CustomParser = result => CliOptions.ParseVersion(result, "--version"),
    };

    public LintCommand()
    {
        Command = new("lint",
            "Check the SQL of pending migrations (or --all, or --version) for what locks or breaks production: exit 6 on an error.")
        {
            _all, _version,
        };
        Command.Validators.Add(result =>
        {
            if (result.GetResult(_all) is not null && result.GetResult(_version) is not null)
            {
                result.AddError("Give --all or --version, not both.");
            }
        });
    }

    public Command Command { get; }

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var policy = context.Migrations.LintPolicy;
        var (selected, which) = await SelectAsync(context, cancellationToken);
        // Lint:StartAfter leaves older migrations out, unless one is asked for by its version.
        var migrations = context.Value(_version) is null ? selected.Where(m => policy.Covers(m.Version)).ToArray() : selected;
        context.Output.Line($"🔎 Linting {migrations.Count} {which} migration(s), replayed on a throwaway database of the same server…" +
                            (migrations.Count < selected.Count ? $" ({selected.Count - migrations.Count} up to Lint:StartAfter={policy.StartAfter} left out)" : ""));
        var server = (await context.Database.ResolveAsync(cancellationToken)).ConnectionString;
        var findings = policy.Apply(await MigrationLinter.LintAsync(server, context.Migrations.Source, migrations.Select(m => m.Version).ToArray(), cancellationToken));
        return Report(context, migrations, findings);
    }

    /// <summary>The findings, one line each; the exit code lint and check share.</summary>
    public static int Report(CommandContext context, IReadOnlyList<KnownMigration> migrations, IReadOnlyList<LintFinding> findings)
    {
        var errors = findings.Count(f => f.Fails);
        var warnings = findings.Count(f => !f.Suppressed && f.Rule.Severity == LintSeverity.Warning);
        var suppressed = findings.Count(f => f.Suppressed);
        context.Output.Report(new LintResult(migrations.Select(MigrationRef.From).ToArray(), findings.Select(LintEntry.From).ToArray(), errors, warnings, suppressed),
            static json => json.LintResult, () =>
            {
                foreach (var finding in findings)
                {
                    context.Output.Line($"   {finding}");
                }

                context.Output.Line(findings.Count == 0
                    ? $"✅ Nothing risky in {migrations.Count} migration(s)"
                    : $"{(errors > 0 ? "❌" : "⚠️ ")} {errors} error(s), {warnings} warning(s), {suppressed} suppressed" +
                      (errors > 0 ? ": change the migration, or allow it with [AllowUnsafe(\"rule-id\", Reason = \"…\")] on its class" : ""));
            });
        return errors > 0 ? ExitCodes.LintFailed : ExitCodes.Success;
    }

    private async Task<(IReadOnlyList<KnownMigration> Migrations, string Which)> SelectAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Value(_all))
        {
            return (context.Migrations.Source.Migrations, "");
        }

        if (context.Value(_version) is { } version)
        {
            return context.Migrations.Source.Find(version) is { } migration
                ? ([migration], "")
                : throw MigrationSelector.UnknownTarget(version);
        }

        await using var connection = await context.Database.OpenAsync(cancellationToken);
        return ((await context.Migrations.Engine.PlanAsync(connection, cancellationToken)).Pending, "pending");
    }
}
