using System.Diagnostics;
using Superset.Migrations.LocalServer;
using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.RealHistories;

/// <summary>
/// Whatever a migration's own code throws, a server that goes away mid-run, an invalid set of migrations: every command
/// ends in one line and an exit code from the table, never an unhandled exception (exit 134).
/// </summary>
[Trait("Category", "Db")]
public sealed class NoCrashTests
{
    public static TheoryData<string, string> Throwers => new()
    {
        { "up", "NotImplementedException" }, { "up", "InvalidOperationException" }, { "up", "NullReferenceException" },
        { "up", "ArgumentException" }, { "up", "FormatException" }, { "up", "CorpusException" },
        { "down", "NotImplementedException" }, { "down", "InvalidOperationException" }, { "down", "NullReferenceException" },
        { "down", "ArgumentException" }, { "down", "FormatException" }, { "down", "CorpusException" },
    };

    private static readonly string[][] Commands =
    [
        ["status"], ["current"], ["history"], ["heads"], ["check"], ["lint"], ["upgrade", "--sql"], ["upgrade"], ["merge"],
        ["downgrade", "--sql"], ["downgrade"], ["downgrade", "--target", "base"], ["stamp", "head"], ["stamp", "base"],
    ];

    [Theory]
    [MemberData(nameof(Throwers))]
    public async Task Every_command_ends_in_one_line_and_an_exit_code_when_a_migrations_code_throws(string where, string exception)
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database, Corpus.Compile(Corpus.Plain(1, "first", "Delete.Table(\"plain_1\");"), Corpus.Throwing(2, where, exception)));
        Assert.Equal(0, (await cli.RunAsync("upgrade", "--target", "1")).ExitCode);

        foreach (var command in Commands)
        {
            // In process: an exception that escaped would fail this test where a process would have ended in 134.
            var run = await cli.RunAsync(command);

            Assert.True(run.ExitCode is 0 or 1 or 2 or 3 or 4 or 6, $"{string.Join(' ', command)}: {run}");
            var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("❌", StringComparison.Ordinal)).ToArray();
            Assert.True(errors.Length <= 1, $"{string.Join(' ', command)}: {run}");
            if (run.ExitCode is 1 && errors.Length == 1 && where == "up")
            {
                Assert.Contains($"Migration 2 (throws in up) cannot be run: its Up() threw {exception}: from Up", errors[0]);
            }
        }

        // What an upgrade does with it, on a database of its own (the commands above stamped this one).
        await using var fresh = await TestDatabases.NewAsync();
        cli = CliRunner.For(fresh, cli.MigrationsAssembly);
        var upgrade = await cli.RunAsync("upgrade");
        if (where == "up")
        {
            Assert.Equal(1, upgrade.ExitCode);
            Assert.Contains($"its Up() threw {exception}: from Up", upgrade.Error);
        }
        else
        {
            // A Down() that throws makes the migration irreversible, not unusable.
            Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
            Assert.Contains($"its Down() throws {exception}: from Down", await fresh.ScalarAsync<string>("SELECT irreversible FROM migrations.history WHERE version = 2"));
            Assert.Equal(4, (await cli.RunAsync("downgrade")).ExitCode);
        }
    }

    [Fact]
    public async Task As_a_process_a_migration_that_throws_exits_1_with_one_line_not_134()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database, Corpus.Compile(Corpus.Throwing(1, "up", "NotImplementedException")));

        var upgrade = await cli.RunProcessAsync("upgrade", "--no-backup");
        var status = await cli.RunProcessAsync("status");

        Assert.Equal(1, upgrade.ExitCode);
        Assert.Equal("❌ ERROR: Migration 1 (throws in up) cannot be run: its Up() threw NotImplementedException: from Up",
            Assert.Single(upgrade.Error.Split('\n'), line => line.StartsWith("❌", StringComparison.Ordinal)).Trim());
        Assert.DoesNotContain("Unhandled exception", upgrade.Error);
        Assert.Equal(3, status.ExitCode);
    }

    [Fact]
    public async Task A_constructor_that_throws_and_two_migrations_with_one_version_are_said_in_one_line()
    {
        await using var database = await TestDatabases.NewAsync();
        var constructor = CliRunner.For(database, Corpus.Compile("""
            using System; using FluentMigrator;
            namespace Corpus;
            [Migration(1, "needs a setting")]
            public sealed class NeedsSetting : Migration
            {
                private readonly string _schema = Environment.GetEnvironmentVariable("CORPUS_SCHEMA") ?? throw new InvalidOperationException("CORPUS_SCHEMA is not set");
                public override void Up() => Create.Schema(_schema);
                public override void Down() => Delete.Schema(_schema);
            }
            """));
        var duplicates = CliRunner.For(database, Corpus.Compile(Corpus.Plain(7, "one", ""), Corpus.Plain(8, "two", "").Replace("Migration(8", "Migration(7", StringComparison.Ordinal)));

        var construct = await constructor.RunProcessAsync("upgrade", "--no-backup");
        var status = await duplicates.RunProcessAsync("status");
        var upgrade = await duplicates.RunProcessAsync("upgrade", "--no-backup");

        Assert.Equal(1, construct.ExitCode);
        Assert.Contains("Migration 1 (needs a setting) cannot be run: its constructor threw InvalidOperationException: CORPUS_SCHEMA is not set", construct.Error);
        foreach (var run in new[] { status, upgrade })
        {
            Assert.Equal(2, run.ExitCode);
            Assert.Equal("❌ ERROR: Two migrations have version 7: Corpus.M7 and Corpus.M8. Give one of them a new version.", run.Error.Trim());
        }
    }

    [Fact]
    public async Task A_session_terminated_mid_run_ends_in_one_line_and_leaves_the_database_as_before_the_migration()
    {
        await using var database = await TestDatabases.NewAsync();
        var assembly = Corpus.Compile(Corpus.Plain(1, "first", "Delete.Table(\"plain_1\");"), SlowMigration(2));
        var cli = CliRunner.For(database, assembly);
        using var upgrade = StartProcess(cli, database, "upgrade", "--no-backup");
        await WaitForSleepAsync(database);

        await database.ExecuteAsync(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(3%' AND pid <> pg_backend_pid()");
        await upgrade.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var error = await upgrade.StandardError.ReadToEndAsync();

        Assert.True(upgrade.ExitCode == 1, $"exit {upgrade.ExitCode}: {error}");
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("❌ ERROR:", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", error);
        Assert.Equal(new long[] { 1 }, await History.AppliedVersionsAsync(await database.OpenAsync()));
        Assert.False(await database.TableExistsAsync("slow_2"));
    }

    [Fact]
    public async Task A_server_stopped_mid_run_ends_in_one_line_and_the_next_upgrade_completes()
    {
        // A server of this test's own: it is stopped under the command.
        var state = TestPaths.NewTempDirectory("stopped");
        var cluster = await LocalPostgresCluster.OpenAsync(state, PostgresBinaries.Find()!, TestPaths.FreePort());
        await cluster.EnsureRunningAsync("tests");
        try
        {
            await cluster.EnsureDatabaseAsync("stopped");
            var builder = cluster.ConnectionString("stopped");
            var cli = new CliRunner($"postgresql://{builder.Username}:{builder.Password}@{builder.Host}:{builder.Port}/stopped",
                Corpus.Compile(Corpus.Plain(1, "first", "Delete.Table(\"plain_1\");"), SlowMigration(2)));
            var run = cli.RunProcessAsync("upgrade", "--no-backup");
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await cluster.StopAsync(immediate: true);
            var upgrade = await run;

            Assert.True(upgrade.ExitCode == 1, upgrade.ToString());
            Assert.Single(upgrade.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("❌ ERROR:", StringComparison.Ordinal));
            Assert.DoesNotContain("Unhandled exception", upgrade.Error);

            await cluster.EnsureRunningAsync("tests");
            var status = await cli.RunProcessAsync("status", "--json");
            Assert.Equal(3, status.ExitCode);
            Assert.Equal(1, status.Json.GetProperty("current").GetProperty("version").GetInt64());
            Assert.Equal(0, (await cli.RunProcessAsync("upgrade", "--no-backup")).ExitCode);
        }
        finally
        {
            await cluster.StopAsync(immediate: true);
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>Three seconds of work, long enough to be interrupted.</summary>
    private static string SlowMigration(long version) => $$"""
        using FluentMigrator;
        namespace Corpus;
        [Migration({{version}}, "slow")]
        public sealed class Slow{{version}} : Migration
        {
            public override void Up()
            {
                Create.Table("slow_{{version}}").WithColumn("id").AsInt32();
                Execute.Sql("SELECT pg_sleep(3)");
            }

            public override void Down() => Delete.Table("slow_{{version}}");
        }
        """;

    private static Process StartProcess(CliRunner cli, TestDatabase database, params string[] arguments)
    {
        var builder = database.Server.ConnectionString(database.Name);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestPaths.RepositoryRoot };
        string[] command = [Path.Combine(AppContext.BaseDirectory, "Superset.MigrationWorker.dll"), .. arguments, "--migrations-assembly", cli.MigrationsAssembly!];
        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SQLALCHEMY_DATABASE_URI"] = $"postgresql://{builder.Username}:{builder.Password}@{builder.Host}:{builder.Port}/{database.Name}";
        return Process.Start(start)!;
    }

    private static async Task WaitForSleepAsync(TestDatabase database)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await database.ScalarAsync<long>(
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep(3%' AND pid <> pg_backend_pid()") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The slow migration never started.");
            await Task.Delay(50);
        }
    }
}
