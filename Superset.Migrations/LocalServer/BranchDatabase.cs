using System.Text;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// A database per git branch on the checkout's server (<c>Postgres:DatabasePerBranch=true</c>, off by default):
/// <c>superset_&lt;branch&gt;</c>, created the first time as a copy of the database the developer had, so that each branch
/// keeps its own schema and a switch never meets another branch's migrations. The AppHost records the choice in the
/// state directory, so the command line follows it.
/// </summary>
public static class BranchDatabase
{
    private const string ChoiceFile = "database-per-branch";
    private const string LastUsedFile = "last-branch-database";

    /// <summary>Whether the checkout's state directory says to use a database per branch.</summary>
    public static bool IsChosen(string stateDirectory) => File.Exists(Path.Combine(stateDirectory, ChoiceFile));

    /// <summary>Records the AppHost's setting for the command line.</summary>
    public static void SaveChoice(string stateDirectory, bool perBranch)
    {
        var path = Path.Combine(stateDirectory, ChoiceFile);
        if (perBranch)
        {
            File.WriteAllText(path, "# Written by Superset's AppHost: Postgres:DatabasePerBranch=true. The command line uses superset_<branch> too.\n");
        }
        else
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The database a new branch's is copied from: the one used last (the branch the developer came from), else the
    /// checkout's <paramref name="fallback"/> (<c>superset</c>, from before databases per branch).
    /// </summary>
    public static string TemplateFor(string stateDirectory, string fallback)
    {
        var path = Path.Combine(stateDirectory, LastUsedFile);
        return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } last ? last : fallback;
    }

    /// <summary>Remembers the database in use, for the next branch's copy.</summary>
    public static void SaveLastUsed(string stateDirectory, string database) =>
        File.WriteAllText(Path.Combine(stateDirectory, LastUsedFile), database + "\n");

    /// <summary>The branch checked out in <paramref name="repositoryRoot"/> (a clone or a worktree); null when detached or unknown.</summary>
    public static string? CurrentBranch(string repositoryRoot)
    {
        string? head;
        try
        {
            head = File.ReadAllText(HeadFile(repositoryRoot)).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        const string prefix = "ref: refs/heads/";
        return head.StartsWith(prefix, StringComparison.Ordinal) ? head[prefix.Length..] : null;
    }

    /// <summary>The file that names the branch checked out: <c>.git/HEAD</c>, or a worktree's own.</summary>
    /// <exception cref="IOException">The checkout's <c>.git</c> cannot be read.</exception>
    public static string HeadFile(string repositoryRoot)
    {
        var git = Path.Combine(repositoryRoot, ".git");
        // A worktree's .git is a file naming its own folder in the main clone.
        var gitDirectory = File.Exists(git) && File.ReadAllText(git).Trim() is var pointer && pointer.StartsWith("gitdir:", StringComparison.Ordinal)
            ? Path.GetFullPath(pointer["gitdir:".Length..].Trim(), repositoryRoot)
            : git;
        return Path.Combine(gitDirectory, "HEAD");
    }

    /// <summary><c>superset_feature_tags</c> for <c>feature/tags</c>: lowercase letters, digits and _, at most 63 bytes.</summary>
    public static string NameFor(string baseName, string branch)
    {
        var name = new StringBuilder(baseName).Append('_');
        foreach (var c in branch.ToLowerInvariant())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return name.Length <= 63 ? name.ToString() : name.ToString(0, 63);
    }

    /// <summary>
    /// Creates <paramref name="database"/> when missing, as a copy of <paramref name="template"/> when it exists and
    /// nobody is connected to it (the developer's data comes along), else empty, and remembers it as the one used last.
    /// Returns a line saying what was done, or null when the database was there.
    /// </summary>
    public static async Task<string?> EnsureAsync(LocalPostgresCluster cluster, string database, string template, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await cluster.EnsureDatabaseAsync(database, template, cancellationToken))?.Describe("for this branch");
        }
        finally
        {
            SaveLastUsed(cluster.StateDirectory, database);
        }
    }
}
