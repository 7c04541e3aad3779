using System.CommandLine;
using FluentMigrator;
using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>merge</c>: applies the out-of-order migrations a plain upgrade refuses (two branches of work met): the seed's
/// "merge heads", for a version line without branches.
/// </summary>
internal sealed class MergeCommand : MigrationRunCommand
{
    private static UpgradeRequest Request(CommandContext context) => new(Merge: true, AllowBreakingChanges: context.AllowBreakingChanges);

    public override Command Command { get; } = new("merge", "Apply out-of-order migrations (older than the current version, not applied) after review.")
    {
        CliOptions.Sql, CliOptions.AllowBreakingChanges, CliOptions.NoBackup, CliOptions.BackupDirectory, CliOptions.Keep,
    };

    protected override MigrationDirection Direction => MigrationDirection.Up;

    protected override async Task<string> ScriptAsync(CommandContext context, MigrationPlan plan, CancellationToken cancellationToken) =>
        await context.Engine.ScriptUpgradeAsync((await context.ResolveConnectionAsync(cancellationToken)).ConnectionString, plan, Request(context), cancellationToken);

    protected override IReadOnlyList<KnownMigration> Select(CommandContext context, MigrationPlan plan) => MigrationSelector.ForUpgrade(plan, Request(context));

    protected override string? NothingToDo(CommandContext context, MigrationPlan plan) => "✅ Nothing to merge: no out-of-order migrations";

    protected override async Task AnnounceAsync(CommandContext context, MigrationPlan plan, IReadOnlyList<KnownMigration> selected, CancellationToken cancellationToken) =>
        context.Line($"🔀 Merging {selected.Count} out-of-order migration(s) into {await context.DescribeDatabaseAsync(cancellationToken)}:");

    protected override Task<MigrationRunResult> RunAsync(
        CommandContext context, NpgsqlConnection connection, IMigrationObserver observer, BeforeApplying? beforeApplying, CancellationToken cancellationToken) =>
        context.Engine.UpgradeAsync(connection, Request(context), observer, beforeApplying, cancellationToken);
}
