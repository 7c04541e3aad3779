using Superset.Migrations.Autogenerate;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>create "description"</c>: writes a new migration file; never overwrites one.</summary>
internal sealed class CreateCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "create",
        "Write a new migration, Migrations/<yyyyMMddHHmmss>_<description>.cs, with Up() and Down().",
        "create \"description\"",
        [],
        MinArguments: 1,
        MaxArguments: 1,
        Details: "The description says what the migration does (\"add tags table\"); the file and class names come from it.");

    public Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        MigrationName name;
        try
        {
            name = MigrationName.Parse(context.Arguments.Positional[0]);
        }
        catch (InvalidMigrationNameException ex)
        {
            throw new UsageException(ex.Message);
        }

        var directory = context.MigrationsDirectory
            ?? throw new UsageException("No migrations folder here: run create inside the checkout, or give --migrations-dir.");
        Directory.CreateDirectory(directory);

        var taken = context.Source.Migrations.Select(m => m.Version)
            .Concat(Directory.GetFiles(directory, "*.cs").Select(MigrationVersion.FromFileName).OfType<long>());
        var version = MigrationVersion.Next(DateTime.UtcNow, taken);
        var path = Path.Combine(directory, MigrationCodeWriter.FileName(version, name));
        var code = MigrationCodeWriter.Write(version, name, up: [], down: []);

        // CreateNew: an existing file is never overwritten, even by a race with another create.
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(code);
        }

        var result = new CreateResult(path, version, name.Description, name.Warnings);
        context.Report(result, CliJson.Default.CreateResult, () =>
        {
            foreach (var warning in name.Warnings)
            {
                context.Warn($"⚠️  {warning}");
            }

            context.Line($"✅ Created {path}");
            context.Line("   Fill in Up() and Down(), review it, then run 'upgrade'.");
        });
        return Task.FromResult(ExitCodes.Success);
    }
}
