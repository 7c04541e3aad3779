using System.CommandLine;
using FluentMigrator;
using Npgsql;
using Superset.Migrations.Backup;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// What upgrade, merge and downgrade share: open the database, read the plan, print the SQL (<c>--sql</c>) or check
/// what would run before saying or doing anything, say what will happen, run it under the lock with a backup first,
/// then report. Each of them says only what differs.
/// </summary>
internal abstract class MigrationRunCommand : ICliCommand
{
    public abstract Command Command { get; }

    protected abstract MigrationDirection Direction { get; }

    /// <summary>The exact SQL the run would send (<c>--sql</c>).</summary>
    protected abstract Task<string> ScriptAsync(CommandContext context, MigrationPlan plan, CancellationToken cancellationToken);

    /// <summary>What the run would apply or revert; throws when a safety check refuses (checked again under the lock).</summary>
    protected abstract IReadOnlyList<KnownMigration> Select(CommandContext context, MigrationPlan plan);

    /// <summary>The line for a run with nothing to do, which then does nothing; null to run anyway (an upgrade creates the version table).</summary>
    protected abstract string? NothingToDo(CommandContext context, MigrationPlan plan);

    /// <summary>How many migrations the run changes: those selected, and any it reverts from their stored SQL first.</summary>
    protected virtual int Changes(CommandContext context, MigrationPlan plan, IReadOnlyList<KnownMigration> selected) => selected.Count;

    /// <summary>The lines said before a run that changes something.</summary>
    protected abstract Task AnnounceAsync(CommandContext context, MigrationPlan plan, IReadOnlyList<KnownMigration> selected, CancellationToken cancellationToken);

    protected abstract Task<MigrationRunResult> RunAsync(
        CommandContext context, NpgsqlConnection connection, IMigrationObserver observer, BeforeApplying? beforeApplying, CancellationToken cancellationToken);

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.OpenAsync(cancellationToken);
        var plan = await context.Engine.PlanAsync(connection, cancellationToken);
        if (context.Value(CliOptions.Sql))
        {
            return context.PrintSql(await ScriptAsync(context, plan, cancellationToken));
        }

        var selected = Select(context, plan);
        var changes = Changes(context, plan, selected);
        if (changes == 0 && NothingToDo(context, plan) is { } nothing)
        {
            context.Line(nothing);
            return await RunReport.WriteAsync(context, new MigrationRunResult(Direction, plan.Current?.Version, plan.Current?.Version, [], []), null, cancellationToken);
        }

        if (changes > 0)
        {
            await AnnounceAsync(context, plan, selected, cancellationToken);
        }

        BackupFile? backup = null;
        var result = await RunAsync(context, connection, new ConsoleMigrationObserver(context), context.BackupBeforeApplying(taken => backup = taken), cancellationToken);
        return await RunReport.WriteAsync(context, result, backup?.Path, cancellationToken);
    }
}
