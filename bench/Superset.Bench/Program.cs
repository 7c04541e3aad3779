using System.Globalization;
using Superset.Bench;
using Superset.Bench.Figures;
using Superset.Bench.Workload;

// bench/run.sh [--ops FILE] [--runs N] [--only 1,2,3,4,5,6] [--backup-gb G]     (or --emit-workload DIR [--ops FILE])
// Starts its own PostgreSQL, prints one line per figure (median of the runs, min and max, next to its baseline)
// and writes them to bench/results/latest.md and latest.json.
var root = FindRepositoryRoot();
if (args is ["--emit-workload", var emitTo, ..])
{
    // For profiling one tool by hand: the workload's migrations as an assembly, and nothing measured.
    var ops = args.Length > 3 && args[2] == "--ops" ? args[3] : Path.Combine(root, "..", "shared", "bench", "ops-500.json");
    Console.WriteLine(WorkloadCompiler.Compile(FluentMigrationWriter.Write(OpsWorkload.Read(Path.GetFullPath(ops)).Steps), Path.GetFullPath(emitTo), "Bench.Workload"));
    return;
}

var options = BenchOptions.Parse(args, root);
var machine = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024)} GiB, " +
              $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";

await using var server = await BenchServer.StartAsync();
var version = await server.ScalarAsync<string>("postgres", "SHOW server_version");
machine += $", PostgreSQL {version} (local, fsync on)";
Console.WriteLine($"Superset migrations benchmark — {machine}");
Console.WriteLine($"{options.Runs} runs per figure; workload {options.Ops}");

var work = Path.Combine(Path.GetTempPath(), $"superset-bench-work-{Environment.ProcessId}");
Directory.CreateDirectory(work);
var results = new Results(Path.Combine(root, "bench", "results"));
var context = new BenchContext(server, root, work, options.Runs, results);
try
{
    if (options.Includes(1) || options.Includes(2))
    {
        var workload = OpsWorkload.Read(options.Ops);
        var (assembly, migrated, count) = await ApplyHistoryFigure.RunAsync(context, workload);
        if (options.Includes(2))
        {
            await StatusFigure.RunAsync(context, assembly, migrated, count);
        }

        // A history twice as long, the same steps under new names: how it scales.
        if (options.Includes(1))
        {
            await ApplyHistoryFigure.RunAsync(context, DoubledWorkload.Write(workload, Path.Combine(work, "doubled")));
        }
    }

    if (options.Includes(3))
    {
        await F5Figure.RunAsync(context);
    }

    if (options.Includes(4))
    {
        await BackupFigure.RunAsync(context, options.BackupGigabytes);
    }

    if (options.Includes(5))
    {
        await AutogenerateFigure.RunAsync(context);
    }

    if (options.Includes(6))
    {
        await BlockedMigrationFigure.RunAsync(context);
    }
}
finally
{
    Console.WriteLine($"Results: {results.Write(machine)}");
    Directory.Delete(work, recursive: true);
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Superset.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run the benchmark from the checkout (bench/run.sh).");
}

internal sealed record BenchOptions(string Ops, int Runs, IReadOnlySet<int> Only, double BackupGigabytes)
{
    public bool Includes(int figure) => Only.Count == 0 || Only.Contains(figure);

    public static BenchOptions Parse(string[] args, string root)
    {
        var ops = Path.GetFullPath(Path.Combine(root, "..", "shared", "bench", "ops-500.json"));
        var runs = 3;
        var only = new HashSet<int>();
        var gigabytes = 1.0;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--ops": ops = Path.GetFullPath(value); i++; break;
                case "--runs": runs = Math.Max(3, int.Parse(value, CultureInfo.InvariantCulture)); i++; break;
                case "--only": only.UnionWith(value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))); i++; break;
                case "--backup-gb": gigabytes = double.Parse(value, CultureInfo.InvariantCulture); i++; break;
                default: throw new ArgumentException($"unknown option {args[i]} (--ops FILE, --runs N, --only 1,2,3,4,5,6, --backup-gb G)");
            }
        }

        // Only figures 1 and 2 read the workload.
        var needsWorkload = only.Count == 0 || only.Contains(1) || only.Contains(2);
        return !needsWorkload || File.Exists(ops) ? new BenchOptions(ops, runs, only, gigabytes) : throw new FileNotFoundException($"No workload at {ops} (--ops FILE).");
    }
}
