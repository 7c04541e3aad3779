using System.Diagnostics;
using System.Globalization;
using Superset.Migrations.Tools;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>
/// scripts/manage_migrations.sh on a fresh clone, as people use it: several commands started at once before anything
/// is built, and a build cut short. Each test builds into a folder of its own (SUPERSET_CLI_OUTPUT), never the
/// checkout's.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Stack")]
public sealed class ScriptTests
{
    private static readonly string Script = Path.Combine(TestPaths.RepositoryRoot, "scripts", "manage_migrations.sh");

    private static Dictionary<string, string?> Environment(string output) => new()
    {
        ["SUPERSET_CLI_OUTPUT"] = output,
        ["SUPERSET_MIGRATIONS_CONFIGURATION"] = WorkerProgramConfiguration,
    };

    /// <summary>The configuration the tests were built in: the publish then finds its project's build up to date.</summary>
    private static string WorkerProgramConfiguration => Workers.WorkerProgram.Configuration;

    [Fact]
    public async Task Four_commands_started_together_on_a_fresh_clone_build_once_and_all_run()
    {
        var output = TestPaths.NewTempDirectory("cli-build");

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            ToolRunner.RunAsync("bash", [Script, "completion", "bash"], Environment(output), TestPaths.RepositoryRoot)));

        Assert.All(runs, run => Assert.True(run.Succeeded, $"exit {run.ExitCode}: {run.StandardError}"));
        Assert.All(runs, run => Assert.Contains("complete -F _manage_migrations_complete", run.StandardOutput));
        Assert.Single(runs, run => run.StandardError.Contains("🔨 Building the migrations", StringComparison.Ordinal));
        Assert.Equal(3, runs.Count(run => run.StandardError.Contains("⏳ Waiting for another manage_migrations.sh", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_build_killed_half_way_is_built_again_by_the_next_command()
    {
        var output = TestPaths.NewTempDirectory("cli-build");
        var start = new ProcessStartInfo("setsid") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = TestPaths.RepositoryRoot };
        foreach (var argument in new[] { "bash", Script, "--help" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment(output))
        {
            start.Environment[name] = value;
        }

        using (var first = Process.Start(start)!)
        {
            // Once the publish has begun writing, kill the whole group (the script, dotnet publish and its compilers).
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (!Directory.EnumerateFiles(output, "*.dll").Any() && !first.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            using var kill = Process.Start("kill", ["-KILL", "--", "-" + first.Id.ToString(CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
            await first.WaitForExitAsync();
        }

        Assert.False(File.Exists(Path.Combine(output, ".built-by-manage-migrations")), "a killed build left its stamp");

        var next = await ToolRunner.RunAsync("bash", [Script, "--help"], Environment(output), TestPaths.RepositoryRoot);

        Assert.True(next.Succeeded, $"exit {next.ExitCode}: {next.StandardError}");
        Assert.Contains("🔨 Building the migrations", next.StandardError);
        Assert.Contains("Usage:", next.StandardOutput);
        Assert.True(File.Exists(Path.Combine(output, ".built-by-manage-migrations")));
    }
}
