using Superset.Tests.Cli;
using Superset.Tests.RealHistories;
using Superset.Tests.Shared;

namespace Superset.Tests.Engine;

/// <summary>
/// The scripts are kept per build, and never stand in for the code: a migration's SQL comes from the cache only for the
/// very assembly that produced it, and one that reads a script file from disk is scripted every time, so an edit of
/// that file is refused like any edited migration.
/// </summary>
[Trait("Category", "Db")]
public sealed class ScriptCacheTests
{
    [Fact]
    public async Task The_scripts_of_a_build_are_kept_and_an_edited_script_file_is_still_refused()
    {
        await using var database = await TestDatabases.NewAsync();
        var cacheHome = TestPaths.NewTempDirectory("cache-home");
        var assembly = Corpus.Compile(Corpus.Plain(1, "first", "Delete.Table(\"plain_1\");"), Corpus.ScriptFile(2, "from_script.sql"));
        var scriptFile = Path.Combine(Path.GetDirectoryName(assembly)!, "from_script.sql");
        await File.WriteAllTextAsync(scriptFile, Corpus.ScriptFileSql);
        var cli = CliRunner.For(database, assembly);
        var variables = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = cacheHome };

        var upgrade = await cli.RunProcessAsync(new Dictionary<string, string?>(variables) { ["SQLALCHEMY_DATABASE_URI"] = UriOf(database) }, "upgrade", "--no-backup");
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());

        // One file for this build: the plain migration's scripts are in it, the script file's migration is not.
        var cache = Assert.Single(Directory.GetFiles(Path.Combine(cacheHome, "superset-migrations", "scripts")));
        Assert.StartsWith(Path.GetFileNameWithoutExtension(assembly), Path.GetFileName(cache));
        var kept = await File.ReadAllTextAsync(cache);
        Assert.Contains(":1:u", kept);
        Assert.DoesNotContain(":2:u", kept);

        // The file behind migration 2 edited after it ran: refused, as without a cache.
        await File.AppendAllTextAsync(scriptFile, "INSERT INTO from_script VALUES (2, 'added later');\n");
        var status = await cli.RunProcessAsync(new Dictionary<string, string?>(variables) { ["SQLALCHEMY_DATABASE_URI"] = UriOf(database) }, "check");
        Assert.Equal(4, status.ExitCode);
        Assert.Contains("❌ Edited after they were applied (1): revert the edit and add a new migration\n   2 (tables from a script file)", status.Out);
    }

    private static string UriOf(TestDatabase database)
    {
        var builder = database.Server.ConnectionString(database.Name);
        return $"postgresql://{System.Uri.EscapeDataString(builder.Username!)}:{System.Uri.EscapeDataString(builder.Password!)}@{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
