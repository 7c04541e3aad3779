namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>stamp</c>: records the database as being at a version without running anything (an existing database).</summary>
internal sealed class StampCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "stamp",
        "Mark the database as being at VERSION ('head': the newest, 'base': none) without running migrations.",
        "stamp <VERSION|head|base>",
        [],
        MinArguments: 1,
        MaxArguments: 1,
        Details: "Every migration up to VERSION is recorded as applied (applied_via 'stamp'); records above it are removed.\n" +
                 "The schema itself is not changed: use it when the schema already matches, as for a database created before migrations.");

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var argument = context.Arguments.Positional[0];
        var version = argument switch
        {
            "head" => (long?)null,
            "base" => 0,
            _ => ParsedArguments.ParseVersion(argument, "The version to stamp"),
        };

        await using var connection = await context.OpenAsync(cancellationToken);
        var (marked, forgotten) = await context.Engine.StampAsync(connection, version, cancellationToken);
        var stamped = version ?? context.Engine.Source.Head?.Version ?? 0;
        var result = new StampResult(
            await context.DescribeDatabaseAsync(cancellationToken),
            stamped,
            marked.Select(MigrationRef.From).ToArray(),
            forgotten.Select(MigrationRef.From).ToArray());

        context.Report(result, CliJson.Default.StampResult, () =>
        {
            context.Line($"🏷️  Stamped {result.Database} at {(stamped == 0 ? "base (no migrations)" : stamped)}: {marked.Count} marked applied without running, {forgotten.Count} forgotten.");
            foreach (var migration in marked)
            {
                context.Line($"   + {migration.Version}  {migration.Description}");
            }

            foreach (var migration in forgotten)
            {
                context.Line($"   - {migration.Version}  {migration.Description}");
            }
        });
        return ExitCodes.Success;
    }
}
