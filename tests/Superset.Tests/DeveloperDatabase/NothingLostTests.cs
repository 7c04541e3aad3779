using System.Diagnostics;
using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.DeveloperDatabase;

/// <summary>
/// The developer's database commands lose nothing: cancelled or killed at any moment, refused half-way, run during an
/// upgrade or next to databases they did not make, every database and every snapshot is still there afterwards, and
/// what a killed run left is removed by the next one.
/// </summary>
[Trait("Category", "Db")]
[Collection(nameof(WorkDatabasesCollection))]
public sealed class NothingLostTests
{
    /// <summary>Rows enough that a copy takes a moment, so that a cancel lands before, during and after it.</summary>
    private const int Rows = 400_000;

    [Fact]
    public async Task Restore_reset_and_save_cancelled_at_any_moment_leave_the_database_and_every_snapshot()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        await database.ExecuteAsync($"INSERT INTO my_new_table (name) SELECT repeat('x', 100) || g FROM generate_series(1, {Rows}) g");
        var cli = CliRunner.For(database);
        Assert.Equal(0, (await cli.RunAsync("snapshot", "save", "full")).ExitCode);
        await database.ExecuteAsync("DELETE FROM my_new_table WHERE id > 10");

        foreach (var command in new[] { new[] { "snapshot", "restore", "full" }, ["reset", "--no-backup", "--no-seed"], ["snapshot", "save", "full", "--replace"] })
        {
            var whole = Stopwatch.StartNew();
            Assert.Equal(0, (await cli.RunAsync(command)).ExitCode);
            var duration = whole.Elapsed;
            foreach (var fraction in new[] { 0.02, 0.15, 0.3, 0.5, 0.7, 0.9 })
            {
                // Back to a known state: the database with 10 rows, the snapshot with all of them.
                await database.ExecuteAsync($"TRUNCATE my_new_table; INSERT INTO my_new_table (name) SELECT 'kept ' || g FROM generate_series(1, 10) g");
                var snapshotBefore = await SnapshotRowsAsync(database, "full");
                using var cancel = new CancellationTokenSource(duration * fraction);
                var run = await cli.RunAsync(cancel.Token, command);

                NpgsqlConnection.ClearAllPools();
                var rows = await database.ScalarAsync<long>("SELECT count(*) FROM my_new_table");
                Assert.True(run.ExitCode is 0 or 130, $"{string.Join(' ', command)} cancelled at {fraction:P0}: {run}");
                Assert.True(run.ExitCode == 0 || rows == 10, $"cancelled ({run.ExitCode}) but the database changed: {rows} rows");
                Assert.Contains(rows, new long[] { 10, Rows, 0 });
                // A save replaces the snapshot once it finished, or leaves it as it was: never gone, never half.
                Assert.Equal(command[1] == "save" && run.ExitCode == 0 ? 10 : snapshotBefore, await SnapshotRowsAsync(database, "full"));
                Assert.Empty(await WorkDatabasesAsync(database));
            }
        }
    }

    [Fact]
    public async Task A_restore_killed_at_any_moment_leaves_everything_and_the_next_run_removes_its_copy()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        await database.ExecuteAsync($"INSERT INTO my_new_table (name) SELECT repeat('x', 100) || g FROM generate_series(1, {Rows}) g");
        var cli = CliRunner.For(database);
        Assert.Equal(0, (await cli.RunAsync("snapshot", "save", "full")).ExitCode);
        await database.ExecuteAsync("DELETE FROM my_new_table WHERE id > 10");

        var program = Path.Combine(AppContext.BaseDirectory, "Superset.MigrationWorker.dll");
        foreach (var delay in new[] { 150, 300, 450, 600, 800, 1000, 1300 })
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { program, "snapshot", "restore", "full" })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["SQLALCHEMY_DATABASE_URI"] = cli.DatabaseUri;
            using var process = Process.Start(start)!;
            await Task.Delay(delay);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            NpgsqlConnection.ClearAllPools();

            var rows = await database.ScalarAsync<long>("SELECT count(*) FROM my_new_table");
            Assert.True(rows is 10 or Rows, $"killed after {delay} ms: the database has {rows} rows");
            Assert.Equal(Rows, await SnapshotRowsAsync(database, "full"));

            // What it was making is named as its own: the next command on the server drops it, the process being gone.
            Assert.Equal(0, (await cli.RunAsync("snapshot", "list")).ExitCode);
            Assert.Empty(await WorkDatabasesAsync(database));
            await database.ExecuteAsync("TRUNCATE my_new_table; INSERT INTO my_new_table (name) SELECT 'kept ' || g FROM generate_series(1, 10) g");
        }
    }

    [Fact]
    public async Task Reset_and_restore_wait_for_a_running_upgrade_and_are_refused_in_one_line_when_it_lasts()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        await database.ExecuteAsync("INSERT INTO my_new_table (name) VALUES ('precious')");
        var cli = CliRunner.For(database);
        Assert.Equal(0, (await cli.RunAsync("snapshot", "save", "s")).ExitCode);

        // An upgrade holding the database's migration lock.
        await using var upgrade = await database.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLock.KeyFor(database.Name)})", upgrade))
        {
            await take.ExecuteNonQueryAsync();
        }

        foreach (var command in new[] { new[] { "reset", "--no-backup", "--lock-wait", "1" }, ["snapshot", "restore", "s", "--lock-wait", "1"] })
        {
            var refused = await cli.RunAsync(command);
            Assert.Equal(5, refused.ExitCode);
            Assert.Contains("waiting for the migration lock", refused.Error);
            Assert.Contains("nothing was changed", refused.Error);
            Assert.Equal("precious", await database.ScalarAsync<string>("SELECT name FROM my_new_table"));
            Assert.Equal(System.Data.ConnectionState.Open, upgrade.State);
        }

        // Once the upgrade is done, the reset runs.
        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", upgrade))
        {
            await release.ExecuteNonQueryAsync();
        }

        Assert.Equal(0, (await cli.RunAsync("reset", "--no-backup", "--no-seed", "--lock-wait", "1")).ExitCode);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM my_new_table"));
    }

    [Fact]
    public async Task Databases_the_tool_did_not_make_are_never_dropped_whatever_their_name()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        var cli = CliRunner.For(database);
        var handMade = $"{database.Name}_snapshot_mine";
        var saving = $"{database.Name}_snapshot_x_saving";
        var foreignWork = $"{WorkDatabases.Prefix}0badc0de_1_0123abcd";
        var lookalike = $"{WorkDatabases.Prefix}{WorkDatabases.ThisHost}_notapid_0123abcd";
        await using (var admin = await database.Server.OpenAsync("postgres"))
        {
            foreach (var name in new[] { handMade, saving, foreignWork, lookalike })
            {
                await SqlCommands.ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
            }

            // A comment that claims to be a snapshot of this database, on a database not named as one.
            await SqlCommands.ExecuteAsync(admin,
                $"COMMENT ON DATABASE \"{saving}\" IS '{{\"of\":\"{database.Name}\",\"name\":\"forged\",\"version\":null,\"description\":null,\"takenAt\":\"2026-01-01T00:00:00Z\"}}'");
        }

        try
        {
            await using (var connection = await database.Server.OpenAsync(handMade))
            {
                await SqlCommands.ExecuteAsync(connection, "CREATE TABLE kept (id int)");
            }

            var replace = await cli.RunAsync("snapshot", "save", "mine", "--replace");
            Assert.Equal(4, replace.ExitCode);
            Assert.Contains($"A database named {handMade} exists and is not a snapshot of {database.Name}", replace.Error);

            Assert.Equal(0, (await cli.RunAsync("snapshot", "save", "x")).ExitCode);
            var missing = await cli.RunAsync("snapshot", "restore", "nosuch");
            Assert.Equal(2, missing.ExitCode);
            Assert.Contains($"No snapshot named 'nosuch' of {database.Name}: there are x.", missing.Error);

            var names = await DatabaseNamesAsync(database);
            Assert.Contains(handMade, names);
            Assert.Contains(saving, names);
            Assert.Contains(foreignWork, names);
            Assert.Contains(lookalike, names);
            Assert.True(await ScalarOnAsync<bool>(database, handMade, "SELECT to_regclass('kept') IS NOT NULL"));
        }
        finally
        {
            await using var admin = await database.Server.OpenAsync("postgres");
            foreach (var name in new[] { handMade, saving, foreignWork, lookalike, $"{database.Name}_snapshot_x" })
            {
                await SqlCommands.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            }
        }
    }

    [Fact]
    public async Task A_second_restore_keeps_the_first_restores_safety_copy()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        var cli = CliRunner.For(database);
        await database.ExecuteAsync("INSERT INTO my_new_table (name) VALUES ('a')");
        Assert.Equal(0, (await cli.RunAsync("snapshot", "save", "a")).ExitCode);

        await database.ExecuteAsync("UPDATE my_new_table SET name = 'first work'");
        var first = await cli.RunAsync("snapshot", "restore", "a");
        Assert.True(first.ExitCode == 0, first.ToString());
        await database.ExecuteAsync("UPDATE my_new_table SET name = 'second work'");
        Assert.Equal(0, (await cli.RunAsync("snapshot", "restore", "a")).ExitCode);

        var list = await cli.RunAsync("snapshot", "list", "--json");
        var snapshots = list.Json.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToArray();
        Assert.Contains("before-restore", snapshots);
        var earlier = Assert.Single(snapshots, s => s.StartsWith("before-restore-", StringComparison.Ordinal));
        Assert.Equal("before-restore-1", earlier);
        Assert.Equal("second work", await SnapshotScalarAsync<string>(database, "before-restore", "SELECT name FROM my_new_table"));
        Assert.Equal("first work", await SnapshotScalarAsync<string>(database, earlier, "SELECT name FROM my_new_table"));

        // Restoring the safety copy swaps: what it replaced becomes the safety copy.
        Assert.Equal(0, (await cli.RunAsync("snapshot", "restore", "before-restore")).ExitCode);
        Assert.Equal("second work", await database.ScalarAsync<string>("SELECT name FROM my_new_table"));
        Assert.Equal("a", await SnapshotScalarAsync<string>(database, "before-restore", "SELECT name FROM my_new_table"));

        foreach (var name in (await cli.RunAsync("snapshot", "list", "--json")).Json.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("name").GetString()!))
        {
            Assert.Equal(0, (await cli.RunAsync("snapshot", "delete", name)).ExitCode);
        }
    }

    private static Task<long> SnapshotRowsAsync(TestDatabase database, string snapshot) =>
        SnapshotScalarAsync<long>(database, snapshot, "SELECT count(*) FROM my_new_table");

    private static Task<T> SnapshotScalarAsync<T>(TestDatabase database, string snapshot, string sql) =>
        ScalarOnAsync<T>(database, $"{database.Name}_snapshot_{snapshot}", sql);

    private static async Task<T> ScalarOnAsync<T>(TestDatabase database, string name, string sql)
    {
        var builder = database.Server.ConnectionString(name);
        builder.Pooling = false;
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string[]> DatabaseNamesAsync(TestDatabase database)
    {
        await using var admin = await database.Server.OpenAsync("postgres");
        await using var command = new NpgsqlCommand("SELECT array_agg(datname) FROM pg_database", admin);
        return (string[])(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Work databases of this machine: none may be left once a command has ended (or, killed, once the next has run).</summary>
    private static async Task<string[]> WorkDatabasesAsync(TestDatabase database) =>
        (await DatabaseNamesAsync(database)).Where(n => n.StartsWith(WorkDatabases.Prefix + WorkDatabases.ThisHost, StringComparison.Ordinal)).ToArray();
}

/// <summary>
/// Tests that count the work databases on the shared server: run alone, since every other test's lint or adopt makes
/// throwaways named for the same process.
/// </summary>
[CollectionDefinition(nameof(WorkDatabasesCollection), DisableParallelization = true)]
public sealed class WorkDatabasesCollection;
