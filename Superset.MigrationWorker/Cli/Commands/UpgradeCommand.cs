using System.CommandLine;
using FluentMigrator;
using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>upgrade</c>: applies pending migrations in order, each in its own transaction, printing each with its time.</summary>
internal sealed class UpgradeCommand(CliOptions options) : MigrationRunCommand<UpgradeRequest>
{
    public override Command Command { get; } = new("upgrade", "Apply pending migrations in order (all, or up to --target), after a backup.")
    {
        options.UpgradeTarget, options.Sql, options.AllowChanged, options.AllowBreakingChanges, options.NoBackup, options.BackupDirectory, options.Keep,
        options.LockTimeout, options.LockRetryBudget, options.StatementTimeout,
    };

    protected override MigrationDirection Direction => MigrationDirection.Up;

    protected override UpgradeRequest Request(CommandContext context) =>
        new(context.Value(options.UpgradeTarget), context.Value(options.AllowChanged), AllowBreakingChanges: context.Migrations.AllowBreakingChanges);

    protected override async Task<string> ScriptAsync(CommandContext context, MigrationPlan plan, UpgradeRequest request, CancellationToken cancellationToken) =>
        await context.Migrations.Engine.ScriptUpgradeAsync((await context.Database.ResolveAsync(cancellationToken)).ConnectionString, plan, request, cancellationToken);

    protected override IReadOnlyList<KnownMigration> Select(CommandContext context, MigrationPlan plan, UpgradeRequest request) => MigrationSelector.ForUpgrade(plan, request);

    protected override string? NothingToDo(MigrationPlan plan, UpgradeRequest request) => null;

    protected override async Task AnnounceAsync(CommandContext context, MigrationPlan plan, int changes, CancellationToken cancellationToken) =>
        context.Output.Line($"⬆️  Upgrading {await context.Database.DescribeAsync(cancellationToken)} from {plan.Current?.Version.ToString() ?? "an empty schema"}: {changes} migration(s)");

    protected override Task<MigrationRunResult> RunAsync(
        CommandContext context, NpgsqlConnection connection, UpgradeRequest request, IMigrationObserver observer, BeforeApplying? beforeApplying,
        CancellationToken cancellationToken) =>
        context.Migrations.Engine.UpgradeAsync(connection, request, observer, beforeApplying, cancellationToken);
}
