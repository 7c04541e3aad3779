namespace Superset.Bench.Figures;

/// <summary>
/// Figure 2: <c>status</c> and <c>current</c> on a database with the whole history applied, as whole processes from
/// the shell (<c>scripts/manage_migrations.sh</c>, nothing to rebuild), next to psql asking the same database for its
/// version: the cost of any process that connects and asks.
/// </summary>
internal static class StatusFigure
{
    public static async Task RunAsync(BenchContext context, string assembly, string database, int count)
    {
        // Warm the file cache and make sure nothing needs building, as in a developer's terminal.
        await context.ManageMigrationsAsync(database, "status", "--migrations-assembly", assembly);

        var runs = Math.Max(5, context.Runs);
        var psql = new Timings("psql -c 'SELECT max(version)'");
        var status = new Timings("manage_migrations.sh status");
        var current = new Timings("manage_migrations.sh current");
        for (var run = 0; run < runs; run++)
        {
            psql.Add(await context.PsqlAsync(database, "-Atc", "SELECT max(version) FROM migrations.history"));
            status.Add(await context.ManageMigrationsAsync(database, "status", "--migrations-assembly", assembly));
            current.Add(await context.ManageMigrationsAsync(database, "current", "--migrations-assembly", assembly));
        }

        context.Results.Add(new Figure($"2. status, {count} migrations applied", status, psql, "< 0.3 s", (o, _) => o.Median < 0.3));
        context.Results.Add(new Figure($"2. current, {count} migrations applied", current, psql, "< 0.3 s", (o, _) => o.Median < 0.3));
    }
}
