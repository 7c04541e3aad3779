using System.CommandLine;
using FluentMigrator;
using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>merge</c>: applies the out-of-order migrations a plain upgrade refuses (two branches of work met): the seed's
/// "merge heads", for a version line without branches.
/// </summary>
internal sealed class MergeCommand(CliOptions options) : MigrationRunCommand<UpgradeRequest>
{
    public override Command Command { get; } = new("merge", "Apply out-of-order migrations (older than the current version, not applied) after review.")
    {
        options.Sql, options.AllowBreakingChanges, options.NoBackup, options.BackupDirectory, options.Keep,
    };

    protected override MigrationDirection Direction => MigrationDirection.Up;

    protected override UpgradeRequest Request(CommandContext context) => new(Merge: true, AllowBreakingChanges: context.Migrations.AllowBreakingChanges);

    protected override async Task<string> ScriptAsync(CommandContext context, MigrationPlan plan, UpgradeRequest request, CancellationToken cancellationToken) =>
        await context.Migrations.Engine.ScriptUpgradeAsync((await context.Database.ResolveAsync(cancellationToken)).ConnectionString, plan, request, cancellationToken);

    protected override IReadOnlyList<KnownMigration> Select(CommandContext context, MigrationPlan plan, UpgradeRequest request) => MigrationSelector.ForUpgrade(plan, request);

    protected override string? NothingToDo(MigrationPlan plan, UpgradeRequest request) => "✅ Nothing to merge: no out-of-order migrations";

    protected override async Task AnnounceAsync(CommandContext context, MigrationPlan plan, int changes, CancellationToken cancellationToken) =>
        context.Output.Line($"🔀 Merging {changes} out-of-order migration(s) into {await context.Database.DescribeAsync(cancellationToken)}:");

    protected override Task<MigrationRunResult> RunAsync(
        CommandContext context, NpgsqlConnection connection, UpgradeRequest request, IMigrationObserver observer, BeforeApplying? beforeApplying,
        CancellationToken cancellationToken) =>
        context.Migrations.Engine.UpgradeAsync(connection, request, observer, beforeApplying, cancellationToken);
}
