using System.CommandLine;
using FluentMigrator;
using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>upgrade</c>: applies pending migrations in order, each in its own transaction, printing each with its time.</summary>
internal sealed class UpgradeCommand : MigrationRunCommand
{
    public override Command Command { get; } = new("upgrade", "Apply pending migrations in order (all, or up to --target), after a backup.")
    {
        CliOptions.UpgradeTarget, CliOptions.Sql, CliOptions.AllowChanged, CliOptions.AllowBreakingChanges, CliOptions.NoBackup, CliOptions.BackupDirectory, CliOptions.Keep,
        CliOptions.LockTimeout, CliOptions.StatementTimeout,
    };

    protected override MigrationDirection Direction => MigrationDirection.Up;

    private static UpgradeRequest Request(CommandContext context) =>
        new(context.Value(CliOptions.UpgradeTarget), context.Value(CliOptions.AllowChanged), AllowBreakingChanges: context.AllowBreakingChanges);

    protected override async Task<string> ScriptAsync(CommandContext context, MigrationPlan plan, CancellationToken cancellationToken) =>
        await context.Engine.ScriptUpgradeAsync((await context.ResolveConnectionAsync(cancellationToken)).ConnectionString, plan, Request(context), cancellationToken);

    protected override IReadOnlyList<KnownMigration> Select(CommandContext context, MigrationPlan plan) => MigrationSelector.ForUpgrade(plan, Request(context));

    protected override string? NothingToDo(CommandContext context, MigrationPlan plan) => null;

    protected override async Task AnnounceAsync(CommandContext context, MigrationPlan plan, IReadOnlyList<KnownMigration> selected, CancellationToken cancellationToken) =>
        context.Line($"⬆️  Upgrading {await context.DescribeDatabaseAsync(cancellationToken)} from {plan.Current?.Version.ToString() ?? "an empty schema"}: {selected.Count} migration(s)");

    protected override Task<MigrationRunResult> RunAsync(
        CommandContext context, NpgsqlConnection connection, IMigrationObserver observer, BeforeApplying? beforeApplying, CancellationToken cancellationToken) =>
        context.Engine.UpgradeAsync(connection, Request(context), observer, beforeApplying, cancellationToken);
}
