using Superset.Tests.Cli;
using System.Diagnostics;
using Superset.Tests.Shared;

namespace Superset.Tests.Safety;

/// <summary>A runner killed outright in the middle of a long migration leaves a consistent database.</summary>
[Trait("Category", "Db")]
public sealed class KillTests
{
    [Fact]
    public async Task Kill_9_during_a_long_migration_leaves_history_and_schema_agreeing_and_the_next_upgrade_completes()
    {
        await using var database = await TestDatabases.NewAsync();
        // The sleep comes from a session setting, so the first run is slow and the second is not.
        var assembly = Fixture.Compile(
            Fixture.CreateTable(1, "before_kill"),
            Fixture.Migration(2, "long one",
                "Create.Table(\"during_kill\").WithColumn(\"id\").AsInt32(); " +
                "Execute.Sql(\"SELECT pg_sleep(coalesce(nullif(current_setting('superset.test_sleep', true), '')::float, 0))\");", "during_kill"));
        var connection = database.Server.ConnectionString(database.Name);
        var uri = $"postgresql://{connection.Username}:{connection.Password}@{connection.Host}:{connection.Port}/{database.Name}";

        using var slow = StartUpgrade(uri + "?options=" + Uri.EscapeDataString("-c superset.test_sleep=60"), assembly);
        await WaitUntilAsync(async () => await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep(coalesce%' AND pid <> pg_backend_pid()") > 0);

        slow.Kill(entireProcessTree: true);
        await slow.WaitForExitAsync();

        // The server notices the dead client within a second (client_connection_check_interval) and rolls back.
        await WaitUntilAsync(async () => await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(coalesce%' AND pid <> pg_backend_pid()") == 0);
        await Fixture.AssertAppliedAsync(database, 1L);
        Assert.True(await database.TableExistsAsync("before_kill"));
        Assert.False(await database.TableExistsAsync("during_kill"));

        var upgrade = await new CliRunner(uri, assembly).RunAsync("upgrade");
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        await Fixture.AssertAppliedAsync(database, 1L, 2);
        Assert.True(await database.TableExistsAsync("during_kill"));
    }

    /// <summary>
    /// Ctrl+C as a terminal sends it: SIGINT to the command's process group. The command stops within seconds, exits
    /// 130, says the running migration was rolled back, and leaves no session or lock behind.
    /// </summary>
    [Theory]
    [InlineData("INT")]
    [InlineData("HUP")] // the terminal closed: the same as Ctrl+C or SIGTERM
    public async Task Ctrl_C_or_a_closed_terminal_during_a_long_migration_exits_130_at_once_and_rolls_it_back(string signal)
    {
        await using var database = await TestDatabases.NewAsync();
        var assembly = Fixture.Compile(
            Fixture.CreateTable(1, "before_interrupt"),
            Fixture.Migration(2, "long one", "Create.Table(\"during_interrupt\").WithColumn(\"id\").AsInt32(); Execute.Sql(\"SELECT pg_sleep(60)\");", "during_interrupt"));
        var connection = database.Server.ConnectionString(database.Name);
        var uri = $"postgresql://{connection.Username}:{connection.Password}@{connection.Host}:{connection.Port}/{database.Name}";

        // setsid: a process group of its own, as a terminal's foreground job, so SIGINT reaches only the command.
        using var slow = StartUpgrade(uri, assembly, newProcessGroup: true);
        await WaitUntilAsync(async () => await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()") > 0);

        using (var interrupt = Process.Start("kill", ["-" + signal, "--", "-" + slow.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        try
        {
            await slow.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            slow.Kill(entireProcessTree: true);
            Assert.Fail($"The command was still running 15 s after SIG{signal} to its process group.");
        }

        var error = await slow.StandardError.ReadToEndAsync();
        Assert.Equal(130, slow.ExitCode);
        Assert.Contains("❌ ERROR: Cancelled; the migration that was running has been rolled back", error);
        // The server ends the cancelled session a moment after the client has gone; other tests share the server, so
        // only this database's locks count.
        await WaitUntilAsync(async () => await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()") == 0);
        Assert.Equal(0L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        await Fixture.AssertAppliedAsync(database, 1L);
        Assert.False(await database.TableExistsAsync("during_interrupt"));
    }

    private static Process StartUpgrade(string uri, string assembly, bool newProcessGroup = false)
    {
        var startInfo = new ProcessStartInfo(newProcessGroup ? "setsid" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestPaths.RepositoryRoot };
        var command = new[] { Path.Combine(AppContext.BaseDirectory, "Superset.MigrationWorker.dll"), "upgrade", "--migrations-assembly", assembly };
        // env --default-signal=INT: a terminal's foreground job has SIGINT's default handling, but a test run started in
        // the background inherits it ignored, and .NET then leaves it ignored (measured: the command never stopped).
        foreach (var argument in newProcessGroup ? ["env", "--default-signal=INT", "dotnet", .. command] : command)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["SQLALCHEMY_DATABASE_URI"] = uri;
        startInfo.Environment[Superset.Migrations.Settings.BackupSettings.DirectoryVariable] = TestPaths.NewTempDirectory("kill-backups");
        return Process.Start(startInfo)!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the condition.");
            await Task.Delay(100);
        }
    }
}
