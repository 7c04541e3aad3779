using System.Text.RegularExpressions;
using Npgsql;
using Superset.Tests.Cli;
using Superset.Tests.Safety;
using Superset.Tests.Shared;

namespace Superset.Tests.Lint;

/// <summary>
/// <c>lint</c> and <c>check</c> on migrations compiled for the test, through the real command line: each names the
/// version and rule, exits 6 on an unsuppressed error, 0 otherwise; and a migration blocked by another session's lock
/// fails after the lock timeout, is tried again, and succeeds once the lock is gone.
/// </summary>
[Trait("Category", "Db")]
public sealed class LintTests
{
    private static readonly string CreateNotes = Fixture.CreateTable(1, "notes", ".WithColumn(\"body\").AsString().Nullable()");

    private static string Migration(long version, string up, string down, string attributes = "") =>
        MigrationSources.Migration(version, $"change {version}", up, down, classAttributes: attributes, ns: "Lint");

    private static readonly string DropBody = Migration(2, "Delete.Column(\"body\").FromTable(\"notes\");", "Alter.Table(\"notes\").AddColumn(\"body\").AsString().Nullable();");

    [Fact]
    public async Task An_error_level_finding_names_its_version_and_rule_and_exits_6()
    {
        await using var database = await TestDatabases.NewAsync();
        var lint = await Fixture.CliFor(database, Fixture.Compile(CreateNotes, DropBody)).RunAsync("lint");

        Assert.Equal(6, lint.ExitCode);
        Assert.Contains("   2 ban-drop-column error drops column notes.body: ", lint.Out);
        Assert.Contains("❌ 1 error(s), 0 warning(s), 0 suppressed", lint.Out);
        Assert.DoesNotContain("   1 ", lint.Out); // the table it creates is new: nothing to say
    }

    [Fact]
    public async Task Every_hazard_fails_until_the_team_lowers_its_rule_to_a_warning_or_turns_it_off()
    {
        await using var database = await TestDatabases.NewAsync();
        var rename = Migration(2, "Rename.Column(\"body\").OnTable(\"notes\").To(\"text\");", "Rename.Column(\"text\").OnTable(\"notes\").To(\"body\");");
        var cli = Fixture.CliFor(database, Fixture.Compile(CreateNotes, rename));

        var failing = await cli.RunAsync("lint", "--json");
        Assert.Equal(6, failing.ExitCode);
        Assert.Equal("error", Assert.Single(failing.Json.GetProperty("findings").EnumerateArray()).GetProperty("severity").GetString());

        // A shell cannot export a name with a dash: Lint__Rules__renaming_column is the same setting.
        cli.Variables["Lint__Rules__renaming_column"] = "warning";
        var lowered = await cli.RunAsync("lint", "--json");
        Assert.Equal(0, lowered.ExitCode);
        var finding = Assert.Single(lowered.Json.GetProperty("findings").EnumerateArray());
        Assert.Equal("renaming-column", finding.GetProperty("rule").GetString());
        Assert.Equal("warning", finding.GetProperty("severity").GetString());
        Assert.Equal(2, finding.GetProperty("version").GetInt64());

        cli.Variables["Lint__Rules__renaming_column"] = "off";
        var off = await cli.RunAsync("lint", "--json");
        Assert.Equal(0, off.ExitCode);
        Assert.Empty(off.Json.GetProperty("findings").EnumerateArray());

        cli.Variables["Lint__Rules__renaming_column"] = "loud";
        var bad = await cli.RunAsync("lint");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("Lint:Rules:renaming_column is 'loud', not error, warning or off.", bad.Error);
    }

    [Fact]
    public async Task Lint_start_after_leaves_the_older_history_out_unless_a_version_is_asked_for()
    {
        await using var database = await TestDatabases.NewAsync();
        var addTitle = Migration(3, "Alter.Table(\"notes\").AddColumn(\"title\").AsString().Nullable();", "Delete.Column(\"title\").FromTable(\"notes\");");
        var cli = Fixture.CliFor(database, Fixture.Compile(CreateNotes, DropBody, addTitle));
        cli.Variables["Lint__StartAfter"] = "2";

        var all = await cli.RunAsync("lint", "--all");
        Assert.Equal(0, all.ExitCode);
        Assert.Contains("(2 up to Lint:StartAfter=2 left out)", all.Out);

        var asked = await cli.RunAsync("lint", "--version", "2");
        Assert.Equal(6, asked.ExitCode);
        Assert.Contains("2 ban-drop-column error", asked.Out);
    }

    [Fact]
    public async Task A_suppressed_finding_is_listed_with_its_reason_and_does_not_fail()
    {
        await using var database = await TestDatabases.NewAsync();
        var allowed = Migration(2, "Delete.Column(\"body\").FromTable(\"notes\");", "Alter.Table(\"notes\").AddColumn(\"body\").AsString().Nullable();",
            "[AllowUnsafe(\"ban-drop-column\", Reason = \"body unused since 2026-10\")]");

        var lint = await Fixture.CliFor(database, Fixture.Compile(CreateNotes, allowed)).RunAsync("lint");

        Assert.Equal(0, lint.ExitCode);
        Assert.Contains("   2 ban-drop-column suppressed drops column notes.body: ", lint.Out);
        Assert.Contains("(allowed: body unused since 2026-10)", lint.Out);
    }

    [Fact]
    public async Task A_down_that_does_not_undo_up_is_found_by_replaying_it()
    {
        await using var database = await TestDatabases.NewAsync();
        var forgetful = Migration(2, "Alter.Table(\"notes\").AddColumn(\"title\").AsString().Nullable();", "");
        var faithful = Migration(3, "Alter.Table(\"notes\").AddColumn(\"author\").AsString().Nullable();", "Delete.Column(\"author\").FromTable(\"notes\");");

        var lint = await Fixture.CliFor(database, Fixture.Compile(CreateNotes, forgetful, faithful)).RunAsync("lint", "--json");

        Assert.True(lint.ExitCode == 6, lint.ToString());
        var finding = Assert.Single(lint.Json.GetProperty("findings").EnumerateArray());
        Assert.Equal("down-does-not-undo-up", finding.GetProperty("rule").GetString());
        Assert.Equal(2, finding.GetProperty("version").GetInt64());
        Assert.Contains("column notes.title exists", finding.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Lint_takes_all_or_one_version_and_only_pending_by_default()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = Fixture.CliFor(database, Fixture.Compile(CreateNotes, DropBody));
        Assert.Equal(0, (await cli.RunAsync("upgrade", "--target", "1")).ExitCode);
        await database.ExecuteAsync("INSERT INTO notes (id, body) VALUES (1, 'kept')");

        Assert.Equal(6, (await cli.RunAsync("lint")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("lint", "--version", "1")).ExitCode);
        Assert.Equal(6, (await cli.RunAsync("lint", "--all")).ExitCode);

        // Linting touched nothing of the database itself.
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
        Assert.Equal("kept", await database.ScalarAsync<string>("SELECT body FROM notes WHERE id = 1"));
    }

    [Fact]
    public async Task Check_fails_with_6_on_an_unsuppressed_finding_of_a_pending_migration()
    {
        await using var database = await TestDatabases.NewAsync();
        var assembly = Fixture.Compile(CreateNotes, DropBody);
        var cli = Fixture.CliFor(database, assembly);
        Assert.Equal(0, (await cli.RunAsync("upgrade", "--target", "1")).ExitCode);

        var check = await cli.RunAsync("check", "--models-assembly", assembly, "--json");

        Assert.Equal(6, check.ExitCode);
        Assert.Equal("ban-drop-column", Assert.Single(check.Json.GetProperty("lint").EnumerateArray()).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_migration_blocked_by_another_session_fails_after_the_lock_timeout_and_its_retries_with_nothing_half_applied()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = await WithAddTitlePendingAsync(database);

        await using (var blocker = await HoldAsync(database, "notes"))
        {
            var blocked = await cli.RunAsync("upgrade", "--lock-timeout", "0.1", "--lock-retry-budget", "1.5", "--no-backup");

            Assert.True(blocked.ExitCode == 1, blocked.ToString());
            Assert.Contains("2 (change 2) waited 0.1 s for a lock another session holds (attempt 1), and was rolled back; trying again in", blocked.Error);
            Assert.Contains("(attempt 2), and was rolled back", blocked.Error);
            // The budget, and the last attempt after it: 1.x s at rest, 2.x s seen in a CI run, and "2 s" when it rounds
            // to a whole second (the message's format is 0.#).
            Assert.True(Regex.IsMatch(blocked.Error, @"could not get a lock in \d+ attempt\(s\) of 0\.1 s over [1-9](\.\d)? s"), blocked.ToString());
            await Fixture.AssertAppliedAsync(database, 1);
        }

        Assert.Equal(0, (await cli.RunAsync("upgrade", "--no-backup")).ExitCode);
        await Fixture.AssertAppliedAsync(database, 1, 2);
    }

    [Fact]
    public async Task A_migration_blocked_for_a_moment_succeeds_on_its_retry()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = await WithAddTitlePendingAsync(database);

        var blocker = await HoldAsync(database, "notes");
        var upgrade = cli.RunAsync("upgrade", "--no-backup");
        await Task.Delay(TimeSpan.FromSeconds(2)); // past the first attempts, well within the retry budget
        await blocker.DisposeAsync();
        var result = await upgrade;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Error.Contains("waited 0.2 s for a lock another session holds (attempt 1), and was rolled back"), result.ToString());
        await Fixture.AssertAppliedAsync(database, 1, 2);
    }

    [Fact]
    public async Task A_backup_blocked_by_another_session_gives_up_with_a_clear_line_and_nothing_is_migrated()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = await WithAddTitlePendingAsync(database);

        await using var blocker = await HoldAsync(database, "notes");
        var blocked = await cli.RunAsync("upgrade");

        Assert.True(blocked.ExitCode == 1, blocked.ToString());
        Assert.Contains("pg_dump waited 20 s for a table another session holds locked (a long transaction?)", blocked.Error);
        await Fixture.AssertAppliedAsync(database, 1);
    }

    /// <summary>The notes table made (version 1), and version 2, which adds a column to it, pending.</summary>
    private static async Task<CliRunner> WithAddTitlePendingAsync(TestDatabase database)
    {
        var addTitle = Migration(2, "Alter.Table(\"notes\").AddColumn(\"title\").AsString().Nullable();", "Delete.Column(\"title\").FromTable(\"notes\");");
        var cli = Fixture.CliFor(database, Fixture.Compile(CreateNotes, addTitle));
        Assert.Equal(0, (await cli.RunAsync("upgrade", "--target", "1")).ExitCode);
        return cli;
    }

    /// <summary>Another session in a transaction that holds an exclusive lock on <paramref name="table"/> until disposed.</summary>
    private static async Task<NpgsqlConnection> HoldAsync(TestDatabase database, string table)
    {
        var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand($"BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }
}
