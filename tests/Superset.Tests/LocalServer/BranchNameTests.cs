using Superset.Migrations.LocalServer;
using Superset.Tests.Shared;

namespace Superset.Tests.LocalServer;

/// <summary>A database per git branch: which branch is checked out, and the database name it makes (no server needed).</summary>
[Trait("Category", "Unit")]
public sealed class BranchNameTests
{
    [Theory]
    [InlineData("main", "superset_main")]
    [InlineData("feature/Add-Tags", "superset_feature_add_tags")]
    [InlineData("fix/ünïcode", "superset_fix__n_code")]
    public void A_branch_name_makes_a_database_name(string branch, string database)
    {
        Assert.Equal(database, BranchDatabase.NameFor("superset", branch));
    }

    [Fact]
    public void The_checked_out_branch_is_read_from_a_clone_and_from_a_worktree()
    {
        var clone = TestPaths.NewTempDirectory("git");
        Directory.CreateDirectory(Path.Combine(clone, ".git"));
        File.WriteAllText(Path.Combine(clone, ".git", "HEAD"), "ref: refs/heads/feature/tags\n");
        var worktree = TestPaths.NewTempDirectory("git");
        Directory.CreateDirectory(Path.Combine(clone, ".git", "worktrees", "b"));
        File.WriteAllText(Path.Combine(clone, ".git", "worktrees", "b", "HEAD"), "ref: refs/heads/fix/login\n");
        File.WriteAllText(Path.Combine(worktree, ".git"), $"gitdir: {Path.Combine(clone, ".git", "worktrees", "b")}\n");
        var detached = TestPaths.NewTempDirectory("git");
        Directory.CreateDirectory(Path.Combine(detached, ".git"));
        File.WriteAllText(Path.Combine(detached, ".git", "HEAD"), "90cb972c0ffee\n");

        Assert.Equal("feature/tags", BranchDatabase.CurrentBranch(clone));
        Assert.Equal("fix/login", BranchDatabase.CurrentBranch(worktree));
        Assert.Null(BranchDatabase.CurrentBranch(detached));
        // The file a quick answer of status watches for a branch switch: the worktree's own HEAD, not the clone's.
        Assert.Equal(Path.Combine(clone, ".git", "HEAD"), BranchDatabase.HeadFile(clone));
        Assert.Equal(Path.Combine(clone, ".git", "worktrees", "b", "HEAD"), BranchDatabase.HeadFile(worktree));
    }
}
