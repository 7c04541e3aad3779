using System.Globalization;

namespace Superset.Bench.Figures;

/// <summary>
/// Figure 4: our backup (pg_dump -Fc, verified with pg_restore --list, named and kept) against a bare
/// <c>pg_dump -Fc</c> of the same database, seeded with at least the given size of rows.
/// </summary>
internal static class BackupFigure
{
    public static async Task RunAsync(BenchContext context, double gigabytes)
    {
        var database = await context.Server.CreateDatabaseAsync("backup_big");
        // About 230 bytes a row on disk: text that compresses like real metadata does, not like zeros.
        var rows = (long)(gigabytes * 1024 * 1024 * 1024 / 230);
        var seeded = await Measure.TimeAsync(() => context.Server.ExecuteAsync(database,
            $"CREATE TABLE rows AS SELECT g AS id, md5(g::text) AS a, md5((g * 7)::text) AS b, repeat(md5((g * 13)::text), 4) AS c, " +
            $"now() - g * interval '1 second' AS t FROM generate_series(1, {rows}) AS g; ALTER TABLE rows ADD PRIMARY KEY (id)"));
        var size = await context.Server.ScalarAsync<long>(database, "SELECT pg_database_size(current_database())");
        context.Results.Note(string.Create(CultureInfo.InvariantCulture, $"backup database: {rows:N0} rows, {size / (1024.0 * 1024 * 1024):0.00} GiB, seeded in {seeded:0} s"));

        var directory = Path.Combine(context.WorkDirectory, "backups");
        var bare = new Timings("pg_dump -Fc");
        var ours = new Timings("manage_migrations.sh backup");
        for (var run = 0; run < context.Runs; run++)
        {
            var file = Path.Combine(context.WorkDirectory, "bare.dump");
            bare.Add(await Measure.ProcessAsync(context.Server.Binaries.PgDump,
                ["--format=custom", "--file", file, .. context.Server.LibpqArguments(database)], context.Server.LibpqEnvironment()));
            File.Delete(file);
            ours.Add(await context.ManageMigrationsAsync(database, "backup", "--backup-dir", directory, "--keep", "1"));
        }

        var dump = Directory.GetFiles(directory, "*.dump").Single();
        context.Results.Note(string.Create(CultureInfo.InvariantCulture, $"backup file: {new FileInfo(dump).Length / (1024.0 * 1024):0} MiB"));
        Directory.Delete(directory, recursive: true);
        context.Results.Add(new Figure(string.Create(CultureInfo.InvariantCulture, $"4. back up {size / (1024.0 * 1024 * 1024):0.0} GiB"), ours, bare, "≤ 1.1x pg_dump", (o, b) => o.Median <= 1.1 * b!.Median));

        await SnapshotAsync(context, database, size);
        await context.Server.ExecuteAsync("postgres", $"DROP DATABASE {database} WITH (FORCE)");
    }

    /// <summary>
    /// A snapshot and its restore (which first keeps what it replaces, a second copy) against what one did before:
    /// pg_dump -Fc, then pg_restore into a new database.
    /// </summary>
    private static async Task SnapshotAsync(BenchContext context, string database, long size)
    {
        var snapshot = new Timings("snapshot save + restore");
        var dumpRestore = new Timings("pg_dump -Fc + pg_restore");
        var file = Path.Combine(context.WorkDirectory, "snapshot-baseline.dump");
        var restored = database + "_restored";
        for (var run = 0; run < context.Runs; run++)
        {
            snapshot.Add(await context.ManageMigrationsAsync(database, "snapshot", "save", "bench", "--replace")
                         + await context.ManageMigrationsAsync(database, "snapshot", "restore", "bench"));

            await context.Server.ExecuteAsync("postgres", $"DROP DATABASE IF EXISTS {restored} WITH (FORCE)");
            await context.Server.ExecuteAsync("postgres", $"CREATE DATABASE {restored}");
            dumpRestore.Add(await Measure.ProcessAsync(context.Server.Binaries.PgDump,
                                ["--format=custom", "--file", file, .. context.Server.LibpqArguments(database)], context.Server.LibpqEnvironment())
                            + await Measure.ProcessAsync(Path.Combine(context.Server.Binaries.BinDirectory, "pg_restore"),
                                [.. context.Server.LibpqArguments(restored), file], context.Server.LibpqEnvironment()));
            File.Delete(file);
        }

        await context.Server.ExecuteAsync("postgres", $"DROP DATABASE IF EXISTS {restored} WITH (FORCE)");
        foreach (var name in new[] { "bench", "before-restore" })
        {
            await context.Server.ExecuteAsync("postgres", $"DROP DATABASE IF EXISTS \"{database}_snapshot_{name}\" WITH (FORCE)");
        }

        context.Results.Add(new Figure(string.Create(CultureInfo.InvariantCulture, $"4. snapshot {size / (1024.0 * 1024 * 1024):0.0} GiB and put it back"), snapshot, dumpRestore,
            "≤ 0.5x dump + restore", (o, b) => o.Median <= 0.5 * b!.Median));
    }
}
