using System.CommandLine;
using FluentMigrator;
using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>downgrade</c>: reverts the last applied migration (or more), saying first what it reverts.</summary>
internal sealed class DowngradeCommand : MigrationRunCommand
{
    public DowngradeCommand() =>
        Command.Validators.Add(result =>
        {
            if (result.GetResult(CliOptions.DowngradeTarget) is not null && result.GetResult(CliOptions.Steps) is not null)
            {
                result.AddError("Give --target or --steps, not both.");
            }
        });

    public override Command Command { get; } = new("downgrade",
        "Roll back the last applied migration, the last N (--steps) or all above --target, newest first, after a backup: data may be lost.")
    {
        CliOptions.DowngradeTarget, CliOptions.Steps, CliOptions.Unknown, CliOptions.Sql, CliOptions.NoBackup, CliOptions.BackupDirectory, CliOptions.Keep,
        CliOptions.LockTimeout, CliOptions.StatementTimeout,
    };

    protected override MigrationDirection Direction => MigrationDirection.Down;

    private static DowngradeRequest Request(CommandContext context) =>
        new(context.Value(CliOptions.DowngradeTarget), context.Value(CliOptions.Steps), context.Value(CliOptions.Unknown));

    protected override async Task<string> ScriptAsync(CommandContext context, MigrationPlan plan, CancellationToken cancellationToken) =>
        await context.Engine.ScriptDowngradeAsync((await context.ResolveConnectionAsync(cancellationToken)).ConnectionString, plan, Request(context), cancellationToken);

    protected override IReadOnlyList<KnownMigration> Select(CommandContext context, MigrationPlan plan) => MigrationSelector.ForDowngrade(plan, Request(context), context.Engine.Irreversible);

    protected override string? NothingToDo(CommandContext context, MigrationPlan plan) =>
        context.Value(CliOptions.Unknown) ? "✅ Nothing to revert: no applied migration is unknown to this code"
        : plan.Applied.Count == 0 ? "✅ Nothing to roll back: no migrations are applied"
        : "✅ Nothing to roll back: already at the target";

    protected override int Changes(CommandContext context, MigrationPlan plan, IReadOnlyList<KnownMigration> selected) =>
        selected.Count + MigrationSelector.UnknownToRevert(plan, Request(context)).Count;

    protected override async Task AnnounceAsync(CommandContext context, MigrationPlan plan, IReadOnlyList<KnownMigration> selected, CancellationToken cancellationToken)
    {
        context.Warn($"⚠️  WARNING: rolling back {Changes(context, plan, selected)} migration(s) can lose data: tables and columns they created are dropped.");
        context.Line($"⬇️  Downgrading {await context.DescribeDatabaseAsync(cancellationToken)}, reverting:");
    }

    protected override Task<MigrationRunResult> RunAsync(
        CommandContext context, NpgsqlConnection connection, IMigrationObserver observer, BeforeApplying? beforeApplying, CancellationToken cancellationToken) =>
        context.Engine.DowngradeAsync(connection, Request(context), observer, beforeApplying, cancellationToken);
}
