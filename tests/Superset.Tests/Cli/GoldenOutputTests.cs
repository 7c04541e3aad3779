using System.Text.RegularExpressions;
using Superset.Tests.Shared;

namespace Superset.Tests.Cli;

/// <summary>
/// The exact words a person reads, emoji and all, for the everyday commands: the one place they are pinned (other
/// tests read --json). What changes from run to run (the database's name and port, times, the checkout's path, who
/// ran it) is replaced by a placeholder first.
/// </summary>
[Trait("Category", "Db")]
public sealed partial class GoldenOutputTests
{
    [Fact]
    public async Task Status_upgrade_current_downgrade_and_history_say_exactly_this()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database);
        var transcript = new List<string>();
        foreach (var command in new[] { "status", "upgrade", "status", "current", "downgrade", "history", "merge", "heads" })
        {
            var result = await cli.RunAsync(command);
            transcript.Add($"$ manage_migrations.sh {command}   (exit {result.ExitCode})");
            transcript.Add(Normalize(result.Error + result.Out, database.Name).TrimEnd());
        }

        Assert.Equal("""
            $ manage_migrations.sh status   (exit 3)
            📊 Migration status
            ✅ Current version: none (no migrations applied)
            ⏳ Pending migrations (3):
               20261124100000  create user_preferences table
               20261124110000  add my_new_table
               20261124120000  add blog_posts table
            📁 Migrations location: <checkout>/Superset.Migrations/Migrations
            $ manage_migrations.sh upgrade   (exit 0)
            ⬆️  Upgrading <database> from an empty schema: 3 migration(s)
            💾 No backup: the database has no application tables and no applied migrations: nothing to back up
               ⬆ 20261124100000  create user_preferences table … <n> ms
               ⬆ 20261124110000  add my_new_table … <n> ms
               ⬆ 20261124120000  add blog_posts table … <n> ms
            ✅ Current version: 20261124120000 (add blog_posts table)
            $ manage_migrations.sh status   (exit 0)
            📊 Migration status
            ✅ Current version: 20261124120000 (add blog_posts table)
            ✅ No pending migrations
            📁 Migrations location: <checkout>/Superset.Migrations/Migrations
            $ manage_migrations.sh current   (exit 0)
            ✅ Current version: 20261124120000 (add blog_posts table)
            $ manage_migrations.sh downgrade   (exit 0)
            ⚠️  WARNING: rolling back 1 migration(s) can lose data: tables and columns they created are dropped.
            ⬇️  Downgrading <database>, reverting:
            💾 Backup: <backup> (<size>, verified)
               ⬇ 20261124120000  add blog_posts table … <n> ms
            ✅ Current version: 20261124110000 (add my_new_table)
            $ manage_migrations.sh history   (exit 0)
            📜 Migration history (3, newest first)
               20261124120000  add blog_posts table           ⏳ pending
               20261124110000  add my_new_table               ✔ <time>  <n> ms  upgrade by <who> (command line)
               20261124100000  create user_preferences table  ✔ <time>  <n> ms  upgrade by <who> (command line)
            $ manage_migrations.sh merge   (exit 0)
            ✅ Nothing to merge: no out-of-order migrations
            ✅ Current version: 20261124110000 (add my_new_table)
            ℹ️  1 migration(s) still pending: 20261124120000.
            $ manage_migrations.sh heads   (exit 0)
            🔝 Head: 20261124120000 (add blog_posts table)
            ✅ One head: nothing to merge
            """, string.Join('\n', transcript));
    }

    private static string Normalize(string output, string database)
    {
        output = output.Replace(TestPaths.RepositoryRoot, "<checkout>", StringComparison.Ordinal);
        output = DatabaseDescription().Replace(output, "<database>");
        output = Milliseconds().Replace(output, "<n> ms");
        output = Backup().Replace(output, "💾 Backup: <backup> (<size>, verified)");
        output = Time().Replace(output, "<time>");
        return Who().Replace(output, "by <who> (");
    }

    [GeneratedRegex(@"\S+@127\.0\.0\.1:\d+/t_[0-9a-f]+")]
    private static partial Regex DatabaseDescription();

    [GeneratedRegex(@"\d+(\.\d+)? ms")]
    private static partial Regex Milliseconds();

    [GeneratedRegex(@"💾 Backup: \S+ \([^)]*, verified\)")]
    private static partial Regex Backup();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC")]
    private static partial Regex Time();

    [GeneratedRegex(@"by \S+ \(")]
    private static partial Regex Who();
}
