using Superset.Migrations.Engine;
using System.CommandLine;
using Superset.MigrationWorker.Cli.Answers;
namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>current</c>: the current version and its description, nothing else.</summary>
internal sealed class CurrentCommand : ICliCommand, IReportsPlanOnly
{
    public Command Command { get; } = new("current", "Show the database's current version and its description.");

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var plan = await context.ReadPlanAsync(cancellationToken);
        var result = new CurrentResult(await context.Database.DescribeAsync(cancellationToken), plan.Current is null ? null : MigrationRef.From(plan.Current));
        context.Output.Report(result, static json => json.CurrentResult, () => context.Output.Line(Format.CurrentVersion(plan.Current)));
        return ExitCodes.Success;
    }
}
