using System.CommandLine;
using FluentMigrator;
using Npgsql;
using Superset.Migrations.Backup;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>A command that runs migrations: a Ctrl+C during it rolls back the migration in flight.</summary>
internal interface IMigrationRunCommand;

/// <summary>
/// What upgrade, merge and downgrade share, as one pipeline: build the request once from the command line, open the
/// database, read the plan, print the SQL (<c>--sql</c>) or check what would run before saying or doing anything, say
/// what will happen, run it under the lock with a backup first, then report from the plan the run left. Each of them
/// says only what differs, given the request.
/// </summary>
internal abstract class MigrationRunCommand<TRequest> : ICliCommand, IMigrationRunCommand
{
    public abstract Command Command { get; }

    protected abstract MigrationDirection Direction { get; }

    /// <summary>What the command line asks for, built once for the run.</summary>
    protected abstract TRequest Request(CommandContext context);

    /// <summary>The exact SQL the run would send (<c>--sql</c>).</summary>
    protected abstract Task<string> ScriptAsync(CommandContext context, MigrationPlan plan, TRequest request, CancellationToken cancellationToken);

    /// <summary>What the run would apply or revert; throws when a safety check refuses (checked again under the lock).</summary>
    protected abstract IReadOnlyList<KnownMigration> Select(CommandContext context, MigrationPlan plan, TRequest request);

    /// <summary>The line for a run with nothing to do, which then does nothing; null to run anyway (an upgrade creates the version table).</summary>
    protected abstract string? NothingToDo(MigrationPlan plan, TRequest request);

    /// <summary>How many migrations the run changes: those selected, and any it reverts from their stored SQL first.</summary>
    protected virtual int Changes(MigrationPlan plan, TRequest request, IReadOnlyList<KnownMigration> selected) => selected.Count;

    /// <summary>The lines said before a run that changes <paramref name="changes"/> migrations.</summary>
    protected abstract Task AnnounceAsync(CommandContext context, MigrationPlan plan, int changes, CancellationToken cancellationToken);

    protected abstract Task<MigrationRunResult> RunAsync(
        CommandContext context, NpgsqlConnection connection, TRequest request, IMigrationObserver observer, BeforeApplying? beforeApplying,
        CancellationToken cancellationToken);

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var request = Request(context);
        await using var connection = await context.OpenWhileMigrationsLoadAsync(readsHistoryOnly: false, cancellationToken);
        var plan = await context.Migrations.Engine.PlanAsync(connection, cancellationToken);
        if (context.Value(context.Options.Sql))
        {
            return context.Output.PrintSql(await ScriptAsync(context, plan, request, cancellationToken));
        }

        var selected = Select(context, plan, request);
        var changes = Changes(plan, request, selected);
        if (changes == 0 && NothingToDo(plan, request) is { } nothing)
        {
            context.Output.Line(nothing);
            var unchanged = new MigrationRunResult(Direction, plan.Current?.Version, plan.Current?.Version, [], []) { Plan = plan };
            return await RunReport.WriteAsync(context, unchanged, null, cancellationToken);
        }

        if (changes > 0)
        {
            await AnnounceAsync(context, plan, changes, cancellationToken);
        }

        BackupFile? backup = null;
        var result = await RunAsync(context, connection, request, new ConsoleMigrationObserver(context), context.Backups.BeforeApplying(taken => backup = taken),
            cancellationToken);
        return await RunReport.WriteAsync(context, result, backup?.Path, cancellationToken);
    }
}
