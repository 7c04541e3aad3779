using Superset.Migrations.Tools;
using Superset.Tests.Shared;

namespace Superset.Tests.Cli;

/// <summary>
/// A terminal whose folder was removed under it (a worktree deleted, a temp folder cleaned): getcwd fails, and .NET
/// throws where a command asks for its folder. The command still answers, through the quick front or not.
/// </summary>
[Trait("Category", "Db")]
public sealed class DeletedFolderTests
{
    [Theory]
    [InlineData("Superset.MigrationWorker.dll")]
    [InlineData("manage-migrations-quick.dll")]
    public async Task Status_from_a_folder_removed_under_the_shell_answers_instead_of_crashing(string program)
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database);
        var folder = TestPaths.NewTempDirectory("removed");
        string[] command = program == "manage-migrations-quick.dll"
            ? ["dotnet", Path.Combine(AppContext.BaseDirectory, program), Path.Combine(AppContext.BaseDirectory, "Superset.MigrationWorker.dll"), "status"]
            : ["dotnet", Path.Combine(AppContext.BaseDirectory, program), "status"];

        var result = await ToolRunner.RunAsync("bash", ["-c", "cd \"$1\" && rmdir \"$1\" && shift && exec \"$@\"", "bash", folder, .. command],
            new Dictionary<string, string?> { ["SQLALCHEMY_DATABASE_URI"] = cli.DatabaseUri, ["XDG_CACHE_HOME"] = TestPaths.NewTempDirectory("answers") });

        Assert.False(Directory.Exists(folder));
        Assert.DoesNotContain("Unhandled exception", result.StandardError);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("Pending migrations (3)", result.StandardOutput);
    }
}
