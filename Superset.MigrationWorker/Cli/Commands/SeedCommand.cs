using System.CommandLine;
using Superset.Migrations.Engine;
using Superset.Migrations.Seeding;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>seed [--dataset NAME]</c>: adds the development seed data the database has not had (each seed once; a second run
/// adds nothing). The database must be at head, and a local development one unless <c>--force</c>.
/// </summary>
internal sealed class SeedCommand(CliOptions options) : ICliCommand
{
    public Command Command { get; } = new("seed", "Add the development seed data the database has not had yet (each seed runs once).")
    {
        options.Dataset, options.Force,
    };

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var catalog = SeedCatalog.Of(context.Migrations.Source);
        var dataset = context.Value(options.Dataset)!;
        catalog.Require(dataset);

        await context.Database.RequireLocalDevelopmentAsync("seed", context.Value(options.Force), cancellationToken);
        await using var connection = await context.Database.OpenAsync(cancellationToken);
        var plan = await context.Migrations.Engine.PlanAsync(connection, cancellationToken);
        if (!plan.IsAtHead)
        {
            throw new MigrationException(MigrationErrorKind.Refused,
                $"Seed data is written for the schema at head, and the database is not there ({plan.Pending.Count} pending, {plan.Unknown.Count} unknown): run 'upgrade' first.");
        }

        var run = await SeedRunner.RunAsync(connection, catalog, dataset, context.Migrations.Engine.Options.Actor, cancellationToken);
        var database = (await context.Database.ResolveAsync(cancellationToken)).ConnectionString.Database!;
        context.Output.Report(Result(database, run), static json => json.SeedResult, () => context.Output.Line($"🌱 {run.Describe()}"));
        return ExitCodes.Success;
    }

    public static SeedResult Result(string database, SeedRun run) => new(database, run.Dataset, run.Applied, run.AlreadyApplied);
}
