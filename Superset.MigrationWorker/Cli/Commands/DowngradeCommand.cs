using System.CommandLine;
using FluentMigrator;
using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>downgrade</c>: reverts the last applied migration (or more), saying first what it reverts.</summary>
internal sealed class DowngradeCommand : MigrationRunCommand<DowngradeRequest>
{
    private readonly CliOptions _options;

    public DowngradeCommand(CliOptions options)
    {
        _options = options;
        Command = new Command("downgrade",
            "Roll back the last applied migration, the last N (--steps) or all above --target, newest first, after a backup: data may be lost.")
        {
            options.DowngradeTarget, options.Steps, options.Unknown, options.Sql, options.NoBackup, options.BackupDirectory, options.Keep,
            options.LockTimeout, options.LockRetryBudget, options.StatementTimeout,
        };
        Command.Validators.Add(result =>
        {
            if (result.GetResult(options.DowngradeTarget) is not null && result.GetResult(options.Steps) is not null)
            {
                result.AddError("Give --target or --steps, not both.");
            }
        });
    }

    public override Command Command { get; }

    protected override MigrationDirection Direction => MigrationDirection.Down;

    protected override DowngradeRequest Request(CommandContext context) =>
        new(context.Value(_options.DowngradeTarget), context.Value(_options.Steps), context.Value(_options.Unknown));

    protected override async Task<string> ScriptAsync(CommandContext context, MigrationPlan plan, DowngradeRequest request, CancellationToken cancellationToken) =>
        await context.Migrations.Engine.ScriptDowngradeAsync((await context.Database.ResolveAsync(cancellationToken)).ConnectionString, plan, request, cancellationToken);

    protected override IReadOnlyList<KnownMigration> Select(CommandContext context, MigrationPlan plan, DowngradeRequest request) =>
        MigrationSelector.ForDowngrade(plan, request, context.Migrations.Engine.Irreversible);

    protected override string? NothingToDo(MigrationPlan plan, DowngradeRequest request) =>
        request.Unknown ? "✅ Nothing to revert: no applied migration is unknown to this code"
        : plan.Applied.Count == 0 ? "✅ Nothing to roll back: no migrations are applied"
        : "✅ Nothing to roll back: already at the target";

    protected override int Changes(MigrationPlan plan, DowngradeRequest request, IReadOnlyList<KnownMigration> selected) =>
        selected.Count + MigrationSelector.UnknownToRevert(plan, request).Count;

    protected override async Task AnnounceAsync(CommandContext context, MigrationPlan plan, int changes, CancellationToken cancellationToken)
    {
        context.Output.Warn($"⚠️  WARNING: rolling back {changes} migration(s) can lose data: tables and columns they created are dropped.");
        context.Output.Line($"⬇️  Downgrading {await context.Database.DescribeAsync(cancellationToken)}, reverting:");
    }

    protected override Task<MigrationRunResult> RunAsync(
        CommandContext context, NpgsqlConnection connection, DowngradeRequest request, IMigrationObserver observer, BeforeApplying? beforeApplying,
        CancellationToken cancellationToken) =>
        context.Migrations.Engine.DowngradeAsync(connection, request, observer, beforeApplying, cancellationToken);
}
