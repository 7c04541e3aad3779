using System.Globalization;
using System.Text;
using Superset.Bench.Workload;

namespace Superset.Bench.Figures;

/// <summary>
/// Figure 5: <c>create "description"</c> on a model of 200 tables with one change: the shadow database built from
/// the 200-table migrations, read from the catalog, diffed against the models, and the migration written. Next to
/// the same command when nothing changed (the shadow database and the diff alone).
/// </summary>
internal static class AutogenerateFigure
{
    private const int Tables = 200;

    public static async Task RunAsync(BenchContext context)
    {
        var database = await context.Server.CreateDatabaseAsync("autogenerate");
        var work = Path.Combine(context.WorkDirectory, "autogenerate");
        var before = WorkloadCompiler.Compile(Models(changed: false), work, "Bench.Models.Before");
        var after = WorkloadCompiler.Compile(Models(changed: true), work, "Bench.Models.After");
        var empty = WorkloadCompiler.Compile("namespace Bench.Empty { }", work, "Bench.NoMigrations");

        // The 200 tables' first migration, written by create itself and compiled as a build would.
        var initial = Path.Combine(work, "initial");
        Directory.CreateDirectory(initial);
        await context.ManageMigrationsAsync(database, "create", "create 200 tables", "--models-assembly", before, "--migrations-assembly", empty, "--migrations-dir", initial);
        var migrations = WorkloadCompiler.Compile(string.Join('\n', Directory.GetFiles(initial, "*.cs").Select(File.ReadAllText)), work, "Bench.Migrations200");

        var oneChange = new Timings("create, one change");
        var noChange = new Timings("create, no change");
        for (var run = 0; run < context.Runs; run++)
        {
            var output = Path.Combine(work, $"out-{run}");
            Directory.CreateDirectory(output);
            noChange.Add(await context.ManageMigrationsAsync(database, "create", "nothing", "--models-assembly", before, "--migrations-assembly", migrations, "--migrations-dir", output));
            oneChange.Add(await context.ManageMigrationsAsync(database, "create", "add note to t_100", "--models-assembly", after, "--migrations-assembly", migrations, "--migrations-dir", output));
            var written = Directory.GetFiles(output, "*.cs").Single();
            if (!File.ReadAllText(written).Contains("\"extra_note\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"create did not write the one change:\n{File.ReadAllText(written)}");
            }
        }

        context.Results.Add(new Figure($"5. create on a model of {Tables} tables", oneChange, noChange, "< 5 s", (o, _) => o.Median < 5));
    }

    /// <summary>200 model classes as a developer writes them; with <paramref name="changed"/>, t_100 has one more column.</summary>
    private static string Models(bool changed)
    {
        var source = new StringBuilder("using Superset.Migrations.Schema;\nnamespace Bench.Models;\n");
        for (var i = 1; i <= Tables; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"t_{i:000}");
            source.Append(CultureInfo.InvariantCulture, $$"""

                [Table("{{name}}")]
                public sealed class T{{i:000}}
                {
                    [PrimaryKey] public int Id { get; set; }
                    [MaxLength(100)] public string Name { get; set; } = "";
                    public string? Description { get; set; }
                    public int Position { get; set; }
                    public bool Active { get; set; }
                    [Default(Sql.Now)] public DateTime? CreatedAt { get; set; }
                    {{(changed && i == 100 ? "public string? ExtraNote { get; set; }" : "")}}
                }

                """);
        }

        return source.ToString();
    }
}
