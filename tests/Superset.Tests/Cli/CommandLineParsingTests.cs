using Superset.Tests.Cli;

namespace Superset.Tests.Cli;

/// <summary>
/// The command line's parsing, in process: bad input is one '❌ ERROR:' line and exit 2 before anything is opened (the
/// database URI points nowhere, so a test that got past parsing would fail to connect instead).
/// </summary>
[Trait("Category", "Unit")]
public sealed class CommandLineParsingTests
{
    private static readonly CliRunner Nowhere = new("postgresql://nobody:nothing@127.0.0.1:1/none");

    public static TheoryData<string[], string> BadCommands => new()
    {
        { ["upgrade", "--target", "123abc"], "--target must be a migration version such as 20261124120000, not '123abc'." },
        { ["upgrade", "--target"], "--target needs a value: --target VERSION." },
        { ["upgrade", "--bogus"], "Unknown option '--bogus' for 'upgrade'" },
        { ["upgrade", "--target", "1", "--target", "2"], "--target is given twice." },
        { ["downgrade", "--steps", "0"], "--steps takes a whole number of at least 1, not '0'." },
        { ["downgrade", "--steps", "two"], "--steps takes a whole number of at least 1, not 'two'." },
        { ["downgrade", "--target", "20261124120000", "--steps", "1"], "Give --target or --steps, not both." },
        { ["downgrade", "--target", "-1"], "--target must be a migration version" },
        { ["stamp"], "'stamp' needs more: manage_migrations.sh stamp <VERSION|head|base>" },
        { ["stamp", "'; DROP TABLE blog_posts; --"], "must be a migration version" },
        { ["status", "extra"], "Unexpected argument 'extra' for 'status'" },
        { ["upgrade", "--lock-wait", "soon"], "--lock-wait takes a number of seconds (such as 30 or 2.5), not 'soon'." },
        { ["upgrade", "--lock-timeout", "-3"], "--lock-timeout takes a number of seconds" },
        { ["backup", "--keep", "0"], "--keep takes a whole number of at least 1" },
        { ["frobnicate"], "Unknown command 'frobnicate'. Commands: init, create, upgrade, downgrade, status" },
        { ["server", "restart"], "restart" },
        { ["completion", "fish"], "fish" },
        { ["create"], "'create' needs more" },
        { ["upgrade", "--lock-timeout", "0.0004"], "--lock-timeout 0.0004 is shorter than PostgreSQL's 1 ms resolution: give 0 (none) or at least 0.001." },
        { ["upgrade", "--statement-timeout", "0.0004"], "--statement-timeout 0.0004 is shorter than PostgreSQL's 1 ms resolution" },
    };

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0.0004, 1)]
    [InlineData(0.0015, 2)]
    [InlineData(0.2, 200)]
    public void A_timeout_is_sent_in_whole_milliseconds_and_never_rounded_down_to_none(double seconds, long milliseconds) =>
        Assert.Equal(milliseconds, Superset.Migrations.Engine.MigrationBookends.Milliseconds(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [MemberData(nameof(BadCommands))]
    public async Task A_bad_command_line_is_one_clear_line_and_exit_2(string[] arguments, string message)
    {
        var result = await Nowhere.RunAsync(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("❌ ERROR: ", result.Error);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task With_json_a_parse_error_is_also_a_json_object_with_the_exit_code()
    {
        var result = await Nowhere.RunAsync("upgrade", "--bogus", "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(2, result.Json.GetProperty("exitCode").GetInt32());
        Assert.Contains("--bogus", result.Json.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("status")]
    [InlineData("upgrade")]
    [InlineData("downgrade")]
    [InlineData("create")]
    [InlineData("stamp")]
    [InlineData("server")]
    public async Task Every_command_has_generated_help_with_the_global_options(string command)
    {
        var help = await Nowhere.RunAsync(command, "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains($"Usage:\n  manage_migrations.sh {command}", help.Out);
        Assert.Contains("--json", help.Out);
        Assert.Contains("--lock-wait <SECONDS>", help.Out);
    }

    [Fact]
    public async Task Upgrade_help_lists_every_option_it_takes()
    {
        var help = (await Nowhere.RunAsync("upgrade", "--help")).Out;

        foreach (var option in new[] { "--target <VERSION>", "--sql", "--allow-changed", "--no-backup", "--backup-dir <DIR>", "--keep <N>", "--lock-timeout <SECONDS>", "--statement-timeout <SECONDS>" })
        {
            Assert.Contains(option, help);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("help")]
    [InlineData("--help")]
    public async Task No_command_or_help_shows_the_overview_with_every_command_and_the_exit_codes(string argument)
    {
        var help = await Nowhere.RunAsync(argument.Length == 0 ? [] : [argument]);

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Exit codes: 0 done, 1 failed, 2 bad input", help.Out);
        foreach (var command in new[] { "init", "create", "upgrade", "downgrade", "status", "current", "history", "heads", "merge", "stamp", "check", "backup", "backups", "restore", "server", "completion", "lint" })
        {
            Assert.Contains($"  {command}", help.Out);
        }
    }

    [Fact]
    public async Task The_bash_completion_script_asks_the_command_line_itself()
    {
        var script = await Nowhere.RunAsync("completion", "bash");

        Assert.Equal(0, script.ExitCode);
        Assert.Contains("completion __complete \"$COMP_LINE\" \"$COMP_POINT\"", script.Out);
        Assert.Contains("complete -F _manage_migrations_complete", script.Out);
    }

    [Theory]
    [InlineData("manage_migrations.sh upg", "upgrade")]
    [InlineData("manage_migrations.sh upgrade --ta", "--target")]
    [InlineData("manage_migrations.sh upgrade --target ", "20261124120000")]
    [InlineData("manage_migrations.sh downgrade --target ", "base")]
    [InlineData("manage_migrations.sh server ", "stop")]
    public async Task Completion_offers_commands_options_and_this_build_versions(string line, string offered)
    {
        var result = await Nowhere.RunAsync("completion", "__complete", line, line.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(offered, result.Out.Split('\n', StringSplitOptions.TrimEntries));
    }
}
