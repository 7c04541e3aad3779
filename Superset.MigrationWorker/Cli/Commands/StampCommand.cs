using Superset.Migrations.Engine;
using System.CommandLine;
namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>stamp</c>: records the database as being at a version without running anything (an existing database).</summary>
internal sealed class StampCommand : ICliCommand
{
    private readonly Argument<string> Version = new("VERSION|head|base")
    {
        Description = "The version to stamp; 'head': the newest; 'base': none.",
        Validators =
        {
            result =>
            {
                if (result.Tokens.Single().Value is not ("head" or "base"))
                {
                    CliOptions.ParseVersion(result, "The version to stamp");
                }
            },
        },
    };

    public StampCommand()
    {
        Command = new("stamp", "Mark the database as being at VERSION ('head': the newest, 'base': none) without running migrations.")
        {
            Version,
        };
    }

    public Command Command { get; }

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var version = context.Value(Version) switch
        {
            "head" => null,
            "base" => 0,
            var text => CliOptions.TryParseVersion(text!),
        };

        await using var connection = await context.Database.OpenAsync(cancellationToken);
        var (marked, forgotten) = await context.Migrations.Engine.StampAsync(connection, version, cancellationToken);
        var stamped = version ?? context.Migrations.Engine.Source.Head?.Version ?? 0;
        var result = new StampResult(
            await context.Database.DescribeAsync(cancellationToken),
            stamped,
            marked.Select(MigrationRef.From).ToArray(),
            forgotten.Select(MigrationRef.From).ToArray());

        context.Output.Report(result, static json => json.StampResult, () =>
        {
            context.Output.Line($"🏷️  Stamped {result.Database} at {(stamped == 0 ? "base (no migrations)" : stamped)}: {marked.Count} marked applied without running, {forgotten.Count} forgotten.");
            foreach (var migration in marked)
            {
                context.Output.Line($"   + {migration.Version}  {migration.Description}");
            }

            foreach (var migration in forgotten)
            {
                context.Output.Line($"   - {migration.Version}  {migration.Description}");
            }
        });
        return ExitCodes.Success;
    }
}
