using Superset.Migrations.Settings;
using System.Diagnostics;
using System.Globalization;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Tools;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>
/// scripts/manage_migrations.sh on a fresh clone, as people use it: several commands started at once before anything
/// is built, and a build cut short. Each test builds into a folder of its own (SUPERSET_CLI_OUTPUT), never the
/// checkout's.
/// </summary>
[Trait("Category", "Stack")]
public sealed class ScriptTests
{
    private static readonly string Script = Path.Combine(TestPaths.RepositoryRoot, "scripts", "manage_migrations.sh");

    private static Dictionary<string, string?> Environment(string output, string? configuration = null) => new()
    {
        ["SUPERSET_CLI_OUTPUT"] = output,
        ["SUPERSET_MIGRATIONS_CONFIGURATION"] = configuration ?? WorkerProgramConfiguration,
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

        // From another terminal's folder, outside any checkout, the script still works on its own checkout's server.
        var state = TestPaths.NewTempDirectory("state");
        var elsewhere = await ToolRunner.RunAsync("bash", [Script, "server", "status"],
            new Dictionary<string, string?>(Environment(output)) { [SettingsReader.Variable(PostgresSettings.Keys.DataDirectory)] = state },
            TestPaths.NewTempDirectory("elsewhere"));
        Assert.True(elsewhere.Succeeded, $"exit {elsewhere.ExitCode}: {elsewhere.StandardError}");
        Assert.Contains(state, elsewhere.StandardOutput);
    }

    [Fact]
    public async Task A_rebuild_killed_half_way_leaves_no_stamp_and_the_next_command_builds_again()
    {
        var output = TestPaths.NewTempDirectory("cli-build");

        // A configuration of its own, removed at the end: the checkout's builds are left as they are.
        var configuration = $"ScriptTest{Guid.NewGuid():N}"[..20];
        var stamp = Path.Combine(output, ".built-by-manage-migrations");
        try
        {
            var built = await ToolRunner.RunAsync("bash", [Script, "--help"], Environment(output, configuration), TestPaths.RepositoryRoot);
            Assert.True(built.Succeeded && File.Exists(stamp), built.StandardError);

            // A source changed since (as after 'create'): the next command rebuilds, and is killed while it does.
            File.SetLastWriteTimeUtc(stamp, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            var start = new ProcessStartInfo("setsid") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = TestPaths.RepositoryRoot };
            foreach (var argument in new[] { "bash", Script, "--help" })
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in Environment(output, configuration))
            {
                start.Environment[name] = value;
            }

            using (var rebuild = Process.Start(start)!)
            {
                var said = await rebuild.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
                Assert.Contains("🔨 Building the migrations", said);
                await Task.Delay(TimeSpan.FromMilliseconds(300));
                Assert.False(rebuild.HasExited, "the rebuild finished before it could be cut short");

                // The whole group: the script, dotnet publish and its compilers.
                using var kill = Process.Start("kill", ["-KILL", "--", "-" + rebuild.Id.ToString(CultureInfo.InvariantCulture)])!;
                await kill.WaitForExitAsync();
                await rebuild.WaitForExitAsync();
            }

            Assert.False(File.Exists(stamp), "a killed build left the stamp of the build before it");

            var next = await ToolRunner.RunAsync("bash", [Script, "--help"], Environment(output, configuration), TestPaths.RepositoryRoot);

            Assert.True(next.Succeeded, $"exit {next.ExitCode}: {next.StandardError}");
            Assert.Contains("🔨 Building the migrations", next.StandardError);
            Assert.Contains("Usage:", next.StandardOutput);
            Assert.True(File.Exists(stamp));
        }
        finally
        {
            foreach (var project in new[] { "Superset.MigrationWorker", "Superset.Migrations", "Superset.ServiceDefaults" })
            {
                foreach (var folder in new[] { "bin", "obj" })
                {
                    var path = Path.Combine(TestPaths.RepositoryRoot, project, folder, configuration);
                    if (Directory.Exists(path))
                    {
                        Directory.Delete(path, recursive: true);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Status_builds_its_native_quick_front_once_and_then_prints_the_kept_answer_while_nothing_changed()
    {
        var output = TestPaths.NewTempDirectory("cli-build");
        var cache = TestPaths.NewTempDirectory("answers");
        var state = TestPaths.NewTempDirectory("state");
        var variables = new Dictionary<string, string?>(Environment(output))
        {
            [SettingsReader.Variable(PostgresSettings.Keys.DataDirectory)] = state,
            ["XDG_CACHE_HOME"] = cache,
        };
        try
        {
            var first = await ToolRunner.RunAsync("bash", [Script, "status"], variables, TestPaths.RepositoryRoot);
            Assert.Equal(3, first.ExitCode);
            Assert.Contains("🔨 Building the quick front of status", first.StandardError);
            Assert.True(File.Exists(Path.Combine(output, "quick", "manage-migrations-quick")), first.StandardError);

            // The first started the server: the second is the first answer worth keeping, the third prints it again.
            var second = await ToolRunner.RunAsync("bash", [Script, "status"], variables, TestPaths.RepositoryRoot);
            var third = await ToolRunner.RunAsync("bash", [Script, "status"], variables, TestPaths.RepositoryRoot);
            Assert.Equal(3, third.ExitCode);
            Assert.Equal(second.StandardOutput, third.StandardOutput);
            Assert.Equal(second.StandardError, third.StandardError);
            Assert.DoesNotContain("Building", third.StandardError);

            var kept = Assert.Single(Directory.GetFiles(Path.Combine(cache, "superset-migrations", "answers"), "*.json"));
            await File.WriteAllTextAsync(kept, (await File.ReadAllTextAsync(kept)).Replace("Migration status", "Migration status (kept)", StringComparison.Ordinal));
            // Altered on disk, a kept answer is not trusted: the command line answers in full.
            var fourth = await ToolRunner.RunAsync("bash", [Script, "status"], variables, TestPaths.RepositoryRoot);
            Assert.DoesNotContain("Migration status (kept)", fourth.StandardOutput);
            Assert.Equal(second.StandardOutput, fourth.StandardOutput);
        }
        finally
        {
            if (LocalPostgresCluster.TryOpenExisting(state, PostgresBinaries.Find()!) is { } cluster)
            {
                await cluster.StopAsync();
            }
        }
    }
}
