using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Superset.Bench.Workload;

namespace Superset.Bench.Figures;

/// <summary>
/// Figure 6: what the app lives through while a migration waits for a table a long transaction holds. The app queries the
/// table every 50 ms; a report holds it for 6 s; the migration (ALTER TABLE … ADD COLUMN on 10,000 rows) starts 0.2 s
/// into the report. The figure is the longest any of the app's queries took, with the default lock settings (0.2 s per
/// attempt, retried) against <c>--lock-timeout 0</c> (wait as long as it takes); the old default (5 s per attempt) is noted.
/// </summary>
internal static class BlockedMigrationFigure
{
    private static readonly TimeSpan Report = TimeSpan.FromSeconds(6);

    public static async Task RunAsync(BenchContext context)
    {
        var assembly = WorkloadCompiler.Compile(
            """
            using FluentMigrator;
            namespace Bench.Blocked;
            [Migration(1, "create busy")]
            public sealed class CreateBusy : Migration
            {
                public override void Up() { Create.Table("busy").WithColumn("id").AsInt32().PrimaryKey(); Execute.Sql("INSERT INTO busy SELECT g FROM generate_series(1, 10000) g"); }
                public override void Down() => Delete.Table("busy");
            }
            [Migration(2, "add column to busy")]
            public sealed class AddColumn : Migration
            {
                public override void Up() => Alter.Table("busy").AddColumn("x").AsInt32().Nullable();
                public override void Down() => Delete.Column("x").FromTable("busy");
            }
            """, Path.Combine(context.WorkDirectory, "blocked"), "Bench.Blocked");

        var defaults = new Timings("default (0.2 s per attempt, retried)");
        var none = new Timings("--lock-timeout 0");
        var old = new Timings("--lock-timeout 5");
        var p99 = new List<double>();
        for (var run = 0; run < context.Runs; run++)
        {
            var (max, percentile) = await AppLatencyAsync(context, assembly, run, []);
            defaults.Add(max);
            p99.Add(percentile);
            none.Add((await AppLatencyAsync(context, assembly, run, ["--lock-timeout", "0"])).Max);
            old.Add((await AppLatencyAsync(context, assembly, run, ["--lock-timeout", "5"])).Max);
        }

        context.Results.Note(string.Create(CultureInfo.InvariantCulture,
            $"a blocked migration: the app's p99 query time {p99.Order().ElementAt(p99.Count / 2):0.000} s with the defaults; its longest query {old.Median:0.000} s with the old default of 5 s per attempt"));
        context.Results.Add(new Figure("6. The app's longest query, migration blocked", defaults, none, "≤ 0.5 s", (o, _) => o.Median <= 0.5));
    }

    /// <summary>One blocked migration: the app's longest query and its p99, in seconds.</summary>
    private static async Task<(double Max, double P99)> AppLatencyAsync(BenchContext context, string assembly, int run, string[] lockOptions)
    {
        var database = await context.Server.CreateDatabaseAsync($"blocked_{run}_{lockOptions.Length}_{lockOptions.LastOrDefault() ?? "d"}");
        await context.ManageMigrationsAsync(database, "upgrade", "--target", "1", "--no-backup", "--migrations-assembly", assembly);

        await using var report = new NpgsqlConnection(context.Server.ConnectionString(database));
        await report.OpenAsync();
        var reading = new NpgsqlCommand($"BEGIN; SELECT count(*) FROM busy; SELECT pg_sleep({Report.TotalSeconds.ToString(CultureInfo.InvariantCulture)}); COMMIT", report)
            .ExecuteNonQueryAsync();
        await Task.Delay(200);

        using var stop = new CancellationTokenSource();
        var app = QueryEvery50MsAsync(context.Server.ConnectionString(database), stop.Token);
        await context.ManageMigrationsAsync(database, ["upgrade", "--no-backup", "--migrations-assembly", assembly, .. lockOptions]);
        await reading;
        await stop.CancelAsync();
        var latencies = (await app).Order().ToArray();
        await context.Server.ExecuteAsync("postgres", $"DROP DATABASE {database} WITH (FORCE)");
        return (latencies[^1], latencies[(int)(latencies.Length * 0.99)]);
    }

    private static async Task<List<double>> QueryEvery50MsAsync(string connectionString, CancellationToken stop)
    {
        var latencies = new List<double>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            await using (var query = new NpgsqlCommand("SELECT id FROM busy WHERE id = 1", connection))
            {
                await query.ExecuteScalarAsync(CancellationToken.None);
            }

            latencies.Add(clock.Elapsed.TotalSeconds);
            await Task.WhenAny(Task.Delay(50, stop));
        }

        return latencies;
    }
}
