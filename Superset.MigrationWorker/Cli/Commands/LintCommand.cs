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
    private static readonly Option<bool> All = new("--all") { Description = "Lint every migration, applied or not." };

    private static readonly Option<long?> Version = new("--version")
    {
        Description = "Lint this migration only.",
        HelpName = "VERSION",
        CustomParser = result => CliOptions.ParseVersion(result, "--version"),
    };

    public LintCommand() =>
        Command.Validators.Add(result =>
        {
            if (result.GetResult(All) is not null && result.GetResult(Version) is not null)
            {
                result.AddError("Give --all or --version, not both.");
            }
        });

    public Command Command { get; } = new("lint",
        "Check the SQL of pending migrations (or --all, or --version) for what locks or breaks production: exit 6 on an error.")
    {
        All, Version,
    };

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (migrations, which) = await SelectAsync(context, cancellationToken);
        context.Line($"🔎 Linting {migrations.Count} {which} migration(s), replayed on a throwaway database of the same server…");
        var server = (await context.ResolveConnectionAsync(cancellationToken)).ConnectionString;
        var findings = await MigrationLinter.LintAsync(server, context.Source, migrations.Select(m => m.Version).ToArray(), cancellationToken);
        return Report(context, migrations, findings);
    }

    /// <summary>The findings, one line each; the exit code lint and check share.</summary>
    public static int Report(CommandContext context, IReadOnlyList<KnownMigration> migrations, IReadOnlyList<LintFinding> findings)
    {
        var errors = findings.Count(f => f.Fails);
        var warnings = findings.Count(f => !f.Suppressed && f.Rule.Severity == LintSeverity.Warning);
        var suppressed = findings.Count(f => f.Suppressed);
        context.Report(new LintResult(migrations.Select(MigrationRef.From).ToArray(), findings.Select(LintEntry.From).ToArray(), errors, warnings, suppressed),
            CliJson.Default.LintResult, () =>
            {
                foreach (var finding in findings)
                {
                    context.Line($"   {finding}");
                }

                context.Line(findings.Count == 0
                    ? $"✅ Nothing risky in {migrations.Count} migration(s)"
                    : $"{(errors > 0 ? "❌" : "⚠️ ")} {errors} error(s), {warnings} warning(s), {suppressed} suppressed" +
                      (errors > 0 ? ": change the migration, or allow it with [AllowUnsafe(\"rule-id\", Reason = \"…\")] on its class" : ""));
            });
        return errors > 0 ? ExitCodes.LintFailed : ExitCodes.Success;
    }

    private static async Task<(IReadOnlyList<KnownMigration> Migrations, string Which)> SelectAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Value(All))
        {
            return (context.Source.Migrations, "");
        }

        if (context.Value(Version) is { } version)
        {
            return context.Source.Find(version) is { } migration
                ? ([migration], "")
                : throw MigrationSelector.UnknownTarget(version);
        }

        await using var connection = await context.OpenAsync(cancellationToken);
        return ((await context.Engine.PlanAsync(connection, cancellationToken)).Pending, "pending");
    }
}
