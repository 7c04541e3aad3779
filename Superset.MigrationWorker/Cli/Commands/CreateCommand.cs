using System.CommandLine;
using Superset.Migrations.Autogenerate;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>create "description"</c>: writes the migration that takes the schema the existing migrations produce to the
/// schema the models describe, Up() and its exact reverse in Down(). Never overwrites a file.
/// </summary>
internal sealed class CreateCommand : ICliCommand
{
    private readonly Argument<string> Description = new("description")
    {
        Description = "What the migration does, in a few words: it names the file and the class.",
    };

    private readonly Option<bool> Empty = new("--empty")
    {
        Description = "Write a migration with empty Up() and Down() when the models did not change.",
    };

    private readonly CliOptions _options;

    public CreateCommand(CliOptions options)
    {
        _options = options;
        Command = new("create", "Write a new migration from the model changes: Migrations/<yyyyMMddHHmmss>_<description>.cs.")
        {
            Description, Empty, options.ModelsAssembly,
        };
    }

    public Command Command { get; }

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        MigrationName name;
        try
        {
            name = MigrationName.Parse(context.Value(Description) ?? string.Empty);
        }
        catch (InvalidMigrationNameException ex)
        {
            throw new UsageException(ex.Message);
        }

        var directory = context.Migrations.Directory
            ?? throw new UsageException("No migrations folder here: run create inside the checkout, or give --migrations-dir.");
        foreach (var warning in name.Warnings)
        {
            context.Output.Warn($"⚠️  {warning}");
        }

        GeneratedMigration? generated = null;
        if (context.Migrations.Models.Tables.Count > 0)
        {
            var connection = await context.Database.ResolveAsync(cancellationToken);
            var migrated = await ShadowDatabase.ReadSchemaAsync(connection.ConnectionString, context.Migrations.Source, cancellationToken);
            generated = Autogenerator.Generate(migrated, context.Migrations.Models);
            if (generated.IsEmpty && !context.Value(Empty))
            {
                var nothing = new CreateResult(null, null, name.Description, [], [], []);
                context.Output.Report(nothing, static json => json.CreateResult, () => context.Output.Line("No changes in schema detected."));
                return ExitCodes.Success;
            }
        }

        Directory.CreateDirectory(directory);
        var taken = context.Migrations.Source.Migrations.Select(m => m.Version)
            .Concat(Directory.GetFiles(directory, "*.cs").Select(MigrationVersion.FromFileName).OfType<long>());
        var version = MigrationVersion.Next(DateTime.UtcNow, taken);
        var path = Path.Combine(directory, MigrationCodeWriter.FileName(version, name));
        var hints = generated?.Diff.Hints ?? [];
        var up = hints.Select(h => $"// HINT: {h}").Concat(hints.Count > 0 && generated!.Up.Count > 0 ? [string.Empty] : []).Concat(generated?.Up ?? []).ToArray();
        var code = MigrationCodeWriter.Write(version, name, up, generated?.Down ?? []);

        // CreateNew: an existing file is never overwritten, even by a race with another create.
        await using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(code);
        }

        var changes = generated?.Diff.Changes.Select(c => c.Describe()).ToArray() ?? [];
        var result = new CreateResult(path, version, name.Description, changes, generated?.Warnings ?? [], hints);
        context.Output.Report(result, static json => json.CreateResult, () =>
        {
            if (generated is null)
            {
                context.Output.Line("ℹ️  No models (classes with [Table]) to compare with: the migration is an empty template.");
            }
            else if (generated.IsEmpty)
            {
                context.Output.Line("No changes in schema detected: the migration is empty (--empty), for changes you write by hand.");
            }
            else
            {
                context.Output.Line($"🔎 Detected {changes.Length} change(s):");
                foreach (var change in changes)
                {
                    context.Output.Line($"   • {change}");
                }
            }

            foreach (var warning in result.Warnings)
            {
                context.Output.Warn($"⚠️  WARNING: {warning}.");
            }

            if (generated?.ErrorRules is { Count: > 0 } errors)
            {
                context.Output.Warn($"❌ It trips error-level lint rules ({string.Join(", ", errors)}): 'lint' and 'check' fail (exit 6) until you change it, " +
                             $"or allow it with [AllowUnsafe(\"{errors[0].Id}\", Reason = \"…\")] on its class.");
            }

            foreach (var hint in hints)
            {
                context.Output.Warn($"💡 {hint}");
            }

            context.Output.Line($"✅ Created {path}");
            context.Output.Line("   Review it (a generated migration is a draft), then run 'upgrade'.");
        });
        return ExitCodes.Success;
    }
}
