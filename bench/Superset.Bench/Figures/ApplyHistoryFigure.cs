using Superset.Bench.Workload;

namespace Superset.Bench.Figures;

/// <summary>
/// Figure 1: a long history applied to an empty database, by our command line (a whole process, as from a shell),
/// by <c>psql -1 -f</c> on the same steps as plain SQL (the physical limit: one transaction, no bookkeeping), and by
/// FluentMigrator's stock runner on the same migration classes; then rolled back to empty. The schemas must be equal.
/// Returns the compiled migrations and a database at their head, for the status figure.
/// </summary>
internal static class ApplyHistoryFigure
{
    public static async Task<(string Assembly, string MigratedDatabase, int Count)> RunAsync(BenchContext context, OpsWorkload workload)
    {
        var sql = Path.ChangeExtension(workload.Path, ".sql");
        if (!File.Exists(sql))
        {
            throw new InvalidOperationException($"{sql} is missing: the psql baseline needs the same steps as plain SQL beside the JSON.");
        }

        var count = workload.Steps.Count;
        var assembly = "";
        var compiled = await Measure.TimeAsync(() =>
        {
            assembly = WorkloadCompiler.Compile(FluentMigrationWriter.Write(workload.Steps), Path.Combine(context.WorkDirectory, $"w{count}"), $"Bench.Workload{count}");
            return Task.CompletedTask;
        });
        context.Results.Note($"{count} steps from {Path.GetFileName(workload.Path)} compiled into FluentMigrator migrations in {compiled:0.00} s");

        var psql = new Timings("psql -1 -f");
        var ours = new Timings("manage_migrations.sh upgrade");
        var uncached = new Timings("upgrade, scripting at every run");
        var stock = new Timings("FluentMigrator MigrateUp");
        var oursDown = new Timings("manage_migrations.sh downgrade");
        var stockDown = new Timings("FluentMigrator MigrateDown(0)");

        for (var run = 1; run <= context.Runs; run++)
        {
            var psqlDb = await context.Server.CreateDatabaseAsync($"apply_psql_{count}_{run}");
            var oursDb = await context.Server.CreateDatabaseAsync($"apply_ours_{count}_{run}");
            var stockDb = await context.Server.CreateDatabaseAsync($"apply_stock_{count}_{run}");

            psql.Add(await context.PsqlAsync(psqlDb, "-1", "-f", sql));
            ours.Add(await context.ManageMigrationsAsync(oursDb, "upgrade", "--migrations-assembly", assembly, "--no-backup"));

            // What a run cost before the scripts were kept per build (the cache switched off), on a database of its own.
            var uncachedDb = await context.Server.CreateDatabaseAsync($"apply_uncached_{count}_{run}");
            uncached.Add(await context.ManageMigrationsAsync(uncachedDb, new Dictionary<string, string?> { ["SUPERSET_SCRIPT_CACHE"] = "off" },
                "upgrade", "--migrations-assembly", assembly, "--no-backup"));
            await context.Server.ExecuteAsync("postgres", $"DROP DATABASE {uncachedDb} WITH (FORCE)");
            stock.Add(await Measure.ProcessAsync("dotnet", [context.StockRunner, "up", assembly],
                new Dictionary<string, string?> { ["BENCH_CONNECTION_STRING"] = context.Server.ConnectionString(stockDb) }));

            if (run == 1)
            {
                var expected = await context.SchemaAsync(psqlDb);
                Check(expected == await context.SchemaAsync(oursDb), "our engine's schema differs from psql's", expected, await context.SchemaAsync(oursDb));
                Check(expected == await context.SchemaAsync(stockDb), "the stock runner's schema differs from psql's", expected, await context.SchemaAsync(stockDb));
                context.Results.Note($"schemas equal after {count} steps (pg_dump --schema-only, version tables left out): psql, ours, stock runner");
            }

            oursDown.Add(await context.ManageMigrationsAsync(oursDb, "downgrade", "--steps", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--migrations-assembly", assembly, "--no-backup"));
            stockDown.Add(await Measure.ProcessAsync("dotnet", [context.StockRunner, "down", assembly],
                new Dictionary<string, string?> { ["BENCH_CONNECTION_STRING"] = context.Server.ConnectionString(stockDb) }));
            foreach (var database in new[] { oursDb, stockDb })
            {
                var left = await context.Server.ScalarAsync<long>(database, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname <> 'VersionInfo' AND c.relname NOT LIKE 'VersionInfo%' AND c.relname NOT LIKE 'UC_Version%'");
                Check(left == 0, $"{database}: {left} relations left after rolling back everything", "", "");
            }

            await context.Server.ExecuteAsync("postgres", $"DROP DATABASE {psqlDb} WITH (FORCE)");
            await context.Server.ExecuteAsync("postgres", $"DROP DATABASE {stockDb} WITH (FORCE)");
            await context.Server.ExecuteAsync("postgres", $"DROP DATABASE {oursDb} WITH (FORCE)");
        }

        var name = $"1. apply {count} steps to an empty database";
        context.Results.Add(new Figure(name, ours, psql, "≤ 1.3x psql -1", (o, b) => o.Median <= 1.3 * b!.Median));
        context.Results.Add(new Figure($"1. (before: scripting at every run)", uncached, psql, "reference", (_, _) => true));
        context.Results.Add(new Figure($"1. (stock runner, same migrations)", stock, psql, "reference", (_, _) => true));
        context.Results.Add(new Figure($"1. roll back all {count} steps", oursDown, stockDown, "faster than stock", (o, b) => o.Median < b!.Median));

        // A database at the head of this history, for the status figure.
        var migrated = await context.Server.CreateDatabaseAsync($"status_{count}");
        await context.ManageMigrationsAsync(migrated, "upgrade", "--migrations-assembly", assembly, "--no-backup");
        return (assembly, migrated, count);
    }

    private static void Check(bool condition, string message, string expected, string actual)
    {
        if (!condition)
        {
            var diff = expected.Split('\n').Except(actual.Split('\n')).Take(5).Concat(["…"]).Concat(actual.Split('\n').Except(expected.Split('\n')).Take(5));
            throw new InvalidOperationException($"{message}:\n{string.Join('\n', diff)}");
        }
    }
}
