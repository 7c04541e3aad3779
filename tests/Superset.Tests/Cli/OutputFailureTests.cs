using Superset.Migrations.Tools;
using Superset.Tests.Shared;

namespace Superset.Tests.Cli;

/// <summary>A failed write of the output (a full disk under "> file") is one line on stderr and exit 1, from the command line and the quick front, never a crash.</summary>
[Trait("Category", "Db")]
public sealed class OutputFailureTests
{
    [Theory]
    [InlineData("status", "--json")]
    [InlineData("status")]
    [InlineData("history", "--json")]
    public async Task Output_to_a_full_disk_is_one_line_and_exit_1(params string[] arguments)
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        var cli = CliRunner.For(database);
        var program = Path.Combine(AppContext.BaseDirectory, "Superset.MigrationWorker.dll");
        var quick = Path.Combine(AppContext.BaseDirectory, "manage-migrations-quick.dll");

        var variables = new Dictionary<string, string?>
        {
            ["SQLALCHEMY_DATABASE_URI"] = cli.DatabaseUri,
            ["XDG_CACHE_HOME"] = TestPaths.NewTempDirectory("cache"),
        };
        foreach (var command in new[] { $"dotnet {program}", $"dotnet {quick} {program}" })
        {
            // First to a file that takes it (the quick front keeps that answer), then to a full disk: the command line
            // answering in full, and the quick front printing what it kept, must both fail in one line.
            var written = await ToolRunner.RunAsync("bash", ["-c", $"{command} {string.Join(' ', arguments)} > /dev/null"], variables, TestPaths.RepositoryRoot);
            Assert.True(written.ExitCode == 0, written.StandardError);

            var result = await ToolRunner.RunAsync("bash", ["-c", $"{command} {string.Join(' ', arguments)} > /dev/full"], variables, TestPaths.RepositoryRoot);

            Assert.True(result.ExitCode == 1, $"{command} {string.Join(' ', arguments)}: exit {result.ExitCode}\n{result.StandardError}");
            Assert.Contains("❌ ERROR: ", result.StandardError);
            Assert.Contains("No space left on device", result.StandardError);
            Assert.DoesNotContain("Unhandled exception", result.StandardError);
        }
    }
}
