extern alias quick;
using Superset.Migrations.Settings;
using Superset.Tests.Shared;
using InputFileState = quick::Superset.MigrationWorker.Cli.Answers.InputFileState;
using StoredAnswer = quick::Superset.MigrationWorker.Cli.Answers.StoredAnswer;

namespace Superset.Tests.Cli;

/// <summary>
/// The quick front of status, current, history and heads (Superset.MigrationWorker/QuickAnswer), as manage_migrations.sh runs it: the
/// command line's answer printed again while nothing it depends on changed, and the command line answering in full as
/// soon as anything did. An answer printed again is told apart by marking the kept one ("(kept)"): the command line never
/// prints that.
/// </summary>
[Trait("Category", "Db")]
public sealed class QuickAnswerTests
{
    private const string Kept = "(kept)";

    [Fact]
    public async Task A_second_status_current_history_or_heads_prints_the_first_ones_answer_again_while_nothing_changed()
    {
        await using var database = await TestDatabases.NewAsync();
        var (cli, variables, answers) = Quick(database);

        var first = await cli.RunQuickAsync(variables, "status");
        Assert.Equal(3, first.ExitCode);
        Assert.Single(Directory.GetFiles(answers, "*.json"));
        var second = await cli.RunQuickAsync(variables, "status");
        Assert.Equal(first, second);
        Assert.Equal(await cli.RunProcessAsync(variables, "status"), second);

        // --json is another command line, with an answer of its own; current too.
        var json = await cli.RunQuickAsync(variables, "current", "--json");
        Assert.Equal(json, await cli.RunQuickAsync(variables, "current", "--json"));
        Assert.Equal(2, Directory.GetFiles(answers, "*.json").Length);

        // history and heads only report the plan too.
        foreach (var command in new[] { "history", "heads" })
        {
            var answered = await cli.RunQuickAsync(variables, command);
            Assert.Equal(answered, await cli.RunQuickAsync(variables, command));
            Assert.Equal(await cli.RunProcessAsync(variables, command), answered);
        }

        Assert.Equal(4, Directory.GetFiles(answers, "*.json").Length);
        MarkKept(answers);
        Assert.Contains(Kept, (await cli.RunQuickAsync(variables, "status")).Out);
        Assert.Contains(Kept, (await cli.RunQuickAsync(variables, "current", "--json")).Out);
        Assert.Contains(Kept, (await cli.RunQuickAsync(variables, "history")).Out);
        Assert.Contains(Kept, (await cli.RunQuickAsync(variables, "heads")).Out);
        Assert.Equal(3, (await cli.RunQuickAsync(variables, "status")).ExitCode);
    }

    public static TheoryData<string> Changes => new()
    {
        "upgrade",
        "an applied migration unknown to this code",
        "a history row's stored Down() SQL",
        "FluentMigrator's VersionInfo made by another runner",
        "another variable",
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Anything_the_plan_reads_changing_has_the_command_line_answer_again(string change)
    {
        await using var database = await TestDatabases.NewAsync();
        var (cli, variables, answers) = Quick(database);
        if (change != "FluentMigrator's VersionInfo made by another runner")
        {
            Assert.Equal(0, (await cli.RunAsync("upgrade", "--no-backup", "--target", "20261124110000")).ExitCode);
        }

        Assert.NotEqual(1, (await cli.RunQuickAsync(variables, "status")).ExitCode);
        MarkKept(answers);
        Assert.Contains(Kept, (await cli.RunQuickAsync(variables, "status")).Out);

        switch (change)
        {
            case "upgrade":
                Assert.Equal(0, (await cli.RunAsync("upgrade", "--no-backup")).ExitCode);
                break;
            case "an applied migration unknown to this code":
                await database.ExecuteAsync("INSERT INTO migrations.history (version, description, applied_by) VALUES (29990101000000, 'from another branch', 'test')");
                break;
            case "a history row's stored Down() SQL":
                await database.ExecuteAsync("UPDATE migrations.history SET down_sql = NULL WHERE version = 20261124110000");
                break;
            case "FluentMigrator's VersionInfo made by another runner":
                await database.ExecuteAsync("""CREATE TABLE public."VersionInfo" ("Version" bigint NOT NULL, "AppliedOn" timestamp, "Description" varchar(1024)); INSERT INTO public."VersionInfo" VALUES (20261124100000, now(), 'x')""");
                break;
            case "another variable":
                variables[SettingsReader.Variable(MigrationsSettings.Keys.Tags)] = "demo";
                break;
        }

        var after = await cli.RunQuickAsync(variables, "status");
        Assert.DoesNotContain(Kept, after.Out);
        Assert.Equal(await cli.RunProcessAsync(variables, "status"), after);
    }

    [Fact]
    public async Task A_database_dropped_since_gets_the_command_lines_own_error_not_the_kept_answer()
    {
        var database = await TestDatabases.NewAsync();
        var (cli, variables, answers) = Quick(database);
        Assert.Equal(3, (await cli.RunQuickAsync(variables, "status")).ExitCode);
        MarkKept(answers);

        await database.DisposeAsync();
        var after = await cli.RunQuickAsync(variables, "status");

        Assert.DoesNotContain(Kept, after.Out);
        Assert.Equal(await cli.RunProcessAsync(variables, "status"), after);
        Assert.Contains("❌ ERROR", after.Error);
        Assert.NotEqual(0, after.ExitCode);
    }

    [Fact]
    public async Task Turned_off_the_front_hands_every_command_over_and_keeps_nothing()
    {
        await using var database = await TestDatabases.NewAsync();
        var (cli, variables, answers) = Quick(database);
        variables["SUPERSET_QUICK_ANSWERS"] = "off";

        var first = await cli.RunQuickAsync(variables, "status");
        Assert.Equal(first, await cli.RunQuickAsync(variables, "status"));
        Assert.Equal(3, first.ExitCode);
        Assert.False(Directory.Exists(answers) && Directory.GetFiles(answers, "*.json").Length > 0);
    }

    [Fact]
    public async Task With_telemetry_exported_every_command_answers_in_full_and_sends_its_spans()
    {
        await using var database = await TestDatabases.NewAsync();
        var (cli, variables, answers) = Quick(database);
        // Nothing listens there: the exporter gives up quietly, and the command's own answer is unchanged.
        variables["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";

        Assert.Equal(3, (await cli.RunQuickAsync(variables, "status")).ExitCode);
        Assert.Equal(3, (await cli.RunQuickAsync(variables, "status")).ExitCode);
        Assert.False(Directory.Exists(answers) && Directory.GetFiles(answers, "*.json").Length > 0);
    }

    [Fact]
    public async Task On_the_local_database_the_answer_is_kept_only_once_nothing_had_to_be_started_and_not_after_the_server_stopped()
    {
        var stateDirectory = TestPaths.NewTempDirectory("local");
        var cli = new CliRunner(databaseUri: "");
        var answers = Path.Combine(TestPaths.NewTempDirectory("answers"), "superset-migrations", "answers");
        var variables = new Dictionary<string, string?>
        {
            [SettingsReader.Variable(PostgresSettings.Keys.DataDirectory)] = stateDirectory,
            ["XDG_CACHE_HOME"] = Path.GetDirectoryName(Path.GetDirectoryName(answers)),
        };
        try
        {
            var started = await cli.RunQuickAsync(variables, "status");
            Assert.Contains("started its server", started.Error);
            Assert.False(Directory.Exists(answers), "a run that started the server is not one to repeat");

            var reused = await cli.RunQuickAsync(variables, "status");
            Assert.Contains("ℹ️  Using the local development database superset", reused.Error);
            Assert.DoesNotContain("started", reused.Error);
            Assert.Equal(reused, await cli.RunQuickAsync(variables, "status"));
            MarkKept(answers);
            Assert.Contains(Kept, (await cli.RunQuickAsync(variables, "status")).Out);

            Assert.Equal(0, (await cli.RunProcessAsync(variables, "server", "stop")).ExitCode);
            var restarted = await cli.RunQuickAsync(variables, "status");
            Assert.DoesNotContain(Kept, restarted.Out);
            Assert.Contains("started its server", restarted.Error);
        }
        finally
        {
            await cli.RunProcessAsync(variables, "server", "stop");
        }
    }

    [Fact]
    public void A_file_or_folder_counts_as_changed_when_written_made_or_removed()
    {
        var folder = TestPaths.NewTempDirectory("inputs");
        var file = Path.Combine(folder, "Superset.Migrations.dll");
        File.WriteAllText(file, "one");
        var fileState = InputFileState.Of(file);
        var folderState = InputFileState.Of(folder);
        var absent = InputFileState.Of(Path.Combine(folder, "database-per-branch"));
        Assert.True(fileState.IsUnchanged() && folderState.IsUnchanged() && absent.IsUnchanged());

        File.WriteAllText(file, "two");
        File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(1));
        File.WriteAllText(Path.Combine(folder, "database-per-branch"), "");
        Directory.SetLastWriteTimeUtc(folder, Directory.GetLastWriteTimeUtc(folder).AddSeconds(1));

        Assert.False(fileState.IsUnchanged());
        Assert.False(folderState.IsUnchanged());
        Assert.False(absent.IsUnchanged());
    }

    /// <summary>A runner of <paramref name="database"/>'s, variables with a folder of answers of the test's own, and that folder.</summary>
    private static (CliRunner Cli, Dictionary<string, string?> Variables, string Answers) Quick(TestDatabase database)
    {
        var cli = CliRunner.For(database);
        var cache = TestPaths.NewTempDirectory("answers");
        return (cli, new Dictionary<string, string?> { ["SQLALCHEMY_DATABASE_URI"] = cli.DatabaseUri, ["XDG_CACHE_HOME"] = cache },
            Path.Combine(cache, "superset-migrations", "answers"));
    }

    /// <summary>Marks every kept answer, so that a test sees when one is printed again.</summary>
    private static void MarkKept(string answers)
    {
        foreach (var file in Directory.GetFiles(answers, "*.json"))
        {
            var answer = StoredAnswer.Read(file)!;
            (answer with { Output = [.. answer.Output.Select(chunk => chunk.Error ? chunk : chunk with { Text = chunk.Text.Replace("\n", $" {Kept}\n", StringComparison.Ordinal) })] })
                .Write(file);
        }
    }
}
