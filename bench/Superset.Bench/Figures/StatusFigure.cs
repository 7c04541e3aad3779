namespace Superset.Bench.Figures;

/// <summary>
/// Figure 2: <c>status</c> and <c>current</c> on a database with the whole history applied, as whole processes from
/// the shell (<c>scripts/manage_migrations.sh</c>, nothing to rebuild), next to psql asking the same database for its
/// version: the cost of any process that connects and asks. Through the script, status and current are answered by the
/// native quick front while nothing changed (the kept answer); "in full" is the command line itself
/// (<c>SUPERSET_QUICK_ANSWERS=off</c>), as on the first run after a change: the figure from before the front.
/// </summary>
internal static class StatusFigure
{
    public static async Task RunAsync(BenchContext context, string assembly, string database, int count)
    {
        // Warm the file cache and make sure nothing needs building (the quick front too), as in a developer's terminal;
        // the first answer of each is kept.
        await context.ManageMigrationsAsync(database, "status", "--migrations-assembly", assembly);
        await context.ManageMigrationsAsync(database, "current", "--migrations-assembly", assembly);

        var runs = Math.Max(5, context.Runs);
        var inFull = new Dictionary<string, string?> { ["SUPERSET_QUICK_ANSWERS"] = "off" };
        var psql = new Timings("psql -c 'SELECT max(version)'");
        var status = new Timings("manage_migrations.sh status");
        var statusInFull = new Timings("status, answered in full");
        var current = new Timings("manage_migrations.sh current");
        var currentInFull = new Timings("current, answered in full");
        for (var run = 0; run < runs; run++)
        {
            psql.Add(await context.PsqlAsync(database, "-Atc", "SELECT max(version) FROM migrations.history"));
            status.Add(await context.ManageMigrationsAsync(database, "status", "--migrations-assembly", assembly));
            statusInFull.Add(await context.ManageMigrationsAsync(database, inFull, "status", "--migrations-assembly", assembly));
            current.Add(await context.ManageMigrationsAsync(database, "current", "--migrations-assembly", assembly));
            currentInFull.Add(await context.ManageMigrationsAsync(database, inFull, "current", "--migrations-assembly", assembly));
        }

        context.Results.Add(new Figure($"2. status, {count} migrations applied", status, psql, "≤ 3x psql", (o, b) => o.Median <= 3 * b!.Median));
        context.Results.Add(new Figure($"2. status in full (first after a change; before)", statusInFull, psql, "< 0.3 s", (o, _) => o.Median < 0.3));
        context.Results.Add(new Figure($"2. current, {count} migrations applied", current, psql, "≤ 3x psql", (o, b) => o.Median <= 3 * b!.Median));
        context.Results.Add(new Figure($"2. current in full (before)", currentInFull, psql, "< 0.3 s", (o, _) => o.Median < 0.3));
    }
}
