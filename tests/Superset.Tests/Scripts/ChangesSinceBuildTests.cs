using Superset.Migrations.Tools;
using Superset.Tests.Shared;

namespace Superset.Tests.Scripts;

/// <summary>
/// scripts/lib/changes.sh, which decides whether ./scripts/run.sh builds before F5: every change a developer makes
/// builds, output and local state do not.
/// </summary>
public sealed class ChangesSinceBuildTests
{
    private static readonly string Library = Path.Combine(TestPaths.RepositoryRoot, "scripts", "lib", "changes.sh");

    [Theory]
    [InlineData("nothing", false)]
    [InlineData("an edited file", true)]
    [InlineData("a new file", true)]
    [InlineData("a deleted file (back from a branch with one more migration)", true)]
    [InlineData("build output and local state", false)]
    public async Task A_build_is_needed_after_every_change_of_the_checkout_and_only_then(string change, bool builds)
    {
        var checkout = TestPaths.NewTempDirectory("checkout");
        var migrations = Path.Combine(checkout, "Superset.Migrations", "Migrations");
        Directory.CreateDirectory(migrations);
        var migration = Path.Combine(migrations, "20261130230000_add_branch_notes.cs");
        File.WriteAllText(migration, "// a migration");
        Directory.CreateDirectory(Path.Combine(checkout, ".data"));
        var stamp = Path.Combine(checkout, ".data", "run.built");
        File.WriteAllText(stamp, "");
        // Everything before the stamp, as after a build.
        foreach (var path in Directory.EnumerateFileSystemEntries(checkout, "*", SearchOption.AllDirectories).Append(checkout))
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-10));
        }

        File.SetLastWriteTimeUtc(stamp, DateTime.UtcNow.AddMinutes(-5));

        switch (change)
        {
            case "an edited file":
                File.AppendAllText(migration, "\n");
                break;
            case "a new file":
                File.WriteAllText(Path.Combine(migrations, "20261201000000_next.cs"), "// next");
                break;
            case "a deleted file (back from a branch with one more migration)":
                File.Delete(migration);
                break;
            case "build output and local state":
                Directory.CreateDirectory(Path.Combine(checkout, "Superset.Migrations", "bin"));
                File.WriteAllText(Path.Combine(checkout, "Superset.Migrations", "bin", "Superset.Migrations.dll"), "");
                File.WriteAllText(Path.Combine(checkout, ".data", "known-databases"), "superset\n");
                // Making bin/ changed its parent's time, as a build does once: the build that made it set the stamp after.
                Directory.SetLastWriteTimeUtc(Path.Combine(checkout, "Superset.Migrations"), DateTime.UtcNow.AddMinutes(-10));
                break;
        }

        var result = await ToolRunner.RunAsync("bash", ["-c", $"source '{Library}' && changed_since .data/run.built"], workingDirectory: checkout);

        Assert.Equal(builds ? 0 : 1, result.ExitCode);
    }
}
