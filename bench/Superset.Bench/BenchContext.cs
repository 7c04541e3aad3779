namespace Superset.Bench;

/// <summary>What every figure needs: the server, the checkout's tools, a work folder, and how many runs.</summary>
internal sealed record BenchContext(BenchServer Server, string RepositoryRoot, string WorkDirectory, int Runs, Results Results)
{
    /// <summary>The command line as users run it.</summary>
    public string ManageMigrations => Path.Combine(RepositoryRoot, "scripts", "manage_migrations.sh");

    public string StockRunner => Path.Combine(RepositoryRoot, "bench", "Superset.Bench.StockRunner", "bin", "Release", "net10.0", "Superset.Bench.StockRunner.dll");

    /// <summary>Runs <c>scripts/manage_migrations.sh</c> against <paramref name="database"/>; returns its wall time.</summary>
    public Task<double> ManageMigrationsAsync(string database, params string[] arguments) =>
        ManageMigrationsAsync(database, new Dictionary<string, string?>(), arguments);

    /// <summary>The same, with more variables (<c>SUPERSET_SCRIPT_CACHE=off</c>, to time what a run cost before scripts were cached).</summary>
    public Task<double> ManageMigrationsAsync(string database, IReadOnlyDictionary<string, string?> variables, params string[] arguments) =>
        Measure.ProcessAsync("bash", [ManageMigrations, .. arguments],
            new Dictionary<string, string?>(variables) { ["SQLALCHEMY_DATABASE_URI"] = Server.Uri(database) }, RepositoryRoot, 0, 3);

    public Task<double> PsqlAsync(string database, params string[] arguments) =>
        Measure.ProcessAsync(Server.Binaries.Psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", .. Server.LibpqArguments(database), .. arguments], Server.LibpqEnvironment());

    /// <summary>The schema as pg_dump prints it, without the tools' own version tables.</summary>
    public async Task<string> SchemaAsync(string database)
    {
        var result = await Superset.Migrations.Tools.ToolRunner.RunAsync(Server.Binaries.PgDump,
            ["--schema-only", "--no-owner", "--exclude-schema=migrations", "--exclude-table=public.\"VersionInfo\"", .. Server.LibpqArguments(database)],
            Server.LibpqEnvironment());
        return result.Succeeded ? string.Join('\n', result.StandardOutput.Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal) && l.Length > 0 && !l.StartsWith("\\restrict", StringComparison.Ordinal) && !l.StartsWith("\\unrestrict", StringComparison.Ordinal)))
            : throw new InvalidOperationException(result.StandardError);
    }
}
