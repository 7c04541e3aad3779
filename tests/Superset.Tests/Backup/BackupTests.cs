using Superset.Tests.Cli;
using Superset.Migrations.Backup;
using Superset.Tests.Shared;

namespace Superset.Tests.Backup;

[Trait("Category", "Db")]
public sealed class BackupTests
{
    /// <summary>Rows of every kind the app's tables hold, and a checksum of each table's content.</summary>
    private const string Rows = """
        INSERT INTO user_preferences (user_id, theme) SELECT g, CASE WHEN g % 2 = 0 THEN 'dark' END FROM generate_series(1, 500) g;
        INSERT INTO my_new_table (name, description) SELECT 'name ' || g, repeat('é', g % 40) FROM generate_series(1, 300) g;
        INSERT INTO blog_posts (title, content, created_at) SELECT 'post ' || g, NULL, timestamp '2026-01-01' + g * interval '1 minute' FROM generate_series(1, 200) g;
        """;

    private const string TableFingerprints = """
        SELECT string_agg(t, ' | ' ORDER BY t) FROM (
          SELECT 'user_preferences ' || count(*) || ' ' || md5(coalesce(string_agg(x::text, ',' ORDER BY x.id), '')) AS t FROM user_preferences x
          UNION ALL SELECT 'my_new_table ' || count(*) || ' ' || md5(coalesce(string_agg(x::text, ',' ORDER BY x.id), '')) FROM my_new_table x
          UNION ALL SELECT 'blog_posts ' || count(*) || ' ' || md5(coalesce(string_agg(x::text, ',' ORDER BY x.id), '')) FROM blog_posts x
          UNION ALL SELECT 'history ' || count(*) || ' ' || md5(coalesce(string_agg(x.version || x.checksum, ',' ORDER BY x.version), '')) FROM migrations.history x
        ) tables
        """;

    [Fact]
    public async Task A_backup_restored_into_a_new_database_has_the_same_rows_and_checksums_in_every_table()
    {
        await using var database = await TestDatabases.NewAsync();
        var directory = TestPaths.NewTempDirectory("backups");
        var cli = CliRunner.For(database);
        await cli.RunAsync("upgrade", "--no-backup");
        await database.ExecuteAsync(Rows);

        var backup = await cli.RunAsync("backup", "--backup-dir", directory, "--json");
        Assert.Equal(0, backup.ExitCode);
        var file = backup.Json.GetProperty("path").GetString()!;
        Assert.Matches(@"-v20261124120000\.dump$", file);

        var copy = $"{database.Name}_copy";
        var restore = await cli.RunAsync("restore", file, "--into", copy);
        Assert.Equal(0, restore.ExitCode);
        Assert.Contains("schema version 20261124120000 (add blog_posts table)", restore.Out);

        await using var restored = new TestDatabase(database.Server, copy);
        Assert.Equal(await database.ScalarAsync<string>(TableFingerprints), await restored.ScalarAsync<string>(TableFingerprints));
        Assert.Contains("user_preferences 500", await restored.ScalarAsync<string>(TableFingerprints));
    }

    [Fact]
    public async Task Upgrade_backs_up_the_pre_upgrade_schema_first_and_only_when_something_is_pending()
    {
        await using var database = await TestDatabases.NewAsync();
        var directory = TestPaths.NewTempDirectory("backups");
        var cli = CliRunner.For(database);
        await cli.RunAsync("upgrade", "--target", "20261124110000", "--no-backup");
        await database.ExecuteAsync("INSERT INTO my_new_table (name) VALUES ('kept')");

        var upgrade = await cli.RunAsync("upgrade", "--backup-dir", directory, "--json");
        Assert.Equal(0, upgrade.ExitCode);
        var backup = Assert.Single(BackupFile.List(directory));
        Assert.Equal(backup.Path, upgrade.Json.GetProperty("backup").GetString());
        Assert.Equal(20261124110000, backup.Version);

        // The backup holds the schema before the upgrade: no blog_posts yet, and the rows.
        var restore = await cli.RunAsync("restore", backup.Path, "--into", $"{database.Name}_before");
        Assert.Equal(0, restore.ExitCode);
        await using var before = new TestDatabase(database.Server, $"{database.Name}_before");
        Assert.False(await before.TableExistsAsync("blog_posts"));
        Assert.Equal("kept", await before.ScalarAsync<string>("SELECT name FROM my_new_table"));

        Assert.Equal(0, (await cli.RunAsync("upgrade", "--backup-dir", directory)).ExitCode);
        Assert.Single(BackupFile.List(directory));
    }

    [Fact]
    public async Task No_backup_is_taken_when_the_user_says_so_and_it_is_said_out_loud()
    {
        await using var database = await TestDatabases.NewAsync();
        var directory = TestPaths.NewTempDirectory("backups");

        var upgrade = await CliRunner.For(database).RunAsync("upgrade", "--no-backup", "--backup-dir", directory);

        Assert.Equal(0, upgrade.ExitCode);
        Assert.Contains("--no-backup: no backup is taken", upgrade.Error);
        Assert.Empty(BackupFile.List(directory));
    }

    [Fact]
    public async Task When_the_backup_cannot_be_written_nothing_is_migrated()
    {
        // Data worth a backup: an empty database is migrated without one.
        await using var database = await TestDatabases.NewAsync();
        await database.ExecuteAsync("CREATE TABLE notes (body text); INSERT INTO notes VALUES ('keep me')");
        var blocker = Path.Combine(TestPaths.NewTempDirectory("backups"), "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");

        var upgrade = await CliRunner.For(database).RunAsync("upgrade", "--backup-dir", Path.Combine(blocker, "backups"));

        Assert.Equal(1, upgrade.ExitCode);
        Assert.Contains("Cannot write backups to", upgrade.Error);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
        Assert.False(await database.TableExistsAsync("user_preferences"));
    }

    [Fact]
    public async Task Retention_keeps_the_newest_backups_and_backups_lists_them_newest_first()
    {
        await using var database = await TestDatabases.NewAsync();
        var directory = TestPaths.NewTempDirectory("backups");
        var cli = CliRunner.For(database);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(0, (await cli.RunAsync("backup", "--backup-dir", directory, "--keep", "2")).ExitCode);
        }

        var list = await cli.RunAsync("backups", "--backup-dir", directory, "--json");
        var backups = list.Json.GetProperty("backups").EnumerateArray().ToArray();
        Assert.Equal(2, backups.Length);
        Assert.True(backups[0].GetProperty("takenAt").GetDateTime() >= backups[1].GetProperty("takenAt").GetDateTime());
        Assert.Empty(Directory.GetFiles(directory, "*.partial"));
    }

    [Fact]
    public async Task Restore_over_the_database_keeps_the_old_one_aside_and_asks_first()
    {
        await using var database = await TestDatabases.NewAsync();
        var directory = TestPaths.NewTempDirectory("backups");
        var cli = CliRunner.For(database);
        await cli.RunAsync("upgrade", "--target", "20261124100000", "--no-backup");
        var file = (await cli.RunAsync("backup", "--backup-dir", directory, "--json")).Json.GetProperty("path").GetString()!;
        await cli.RunAsync("upgrade", "--no-backup");

        var unconfirmed = await cli.RunAsync("restore", file);
        Assert.Equal(2, unconfirmed.ExitCode);
        Assert.Contains("confirm with --yes", unconfirmed.Error);
        Assert.True(await database.TableExistsAsync("blog_posts"));

        var restore = await cli.RunAsync("restore", Path.GetFileName(file), "--yes", "--backup-dir", directory);
        Assert.Equal(0, restore.ExitCode);
        Assert.Contains("schema version 20261124100000 (create user_preferences table)", restore.Out);
        Assert.Contains("kept as", restore.Out);
        Assert.False(await database.TableExistsAsync("blog_posts"));

        var keptAs = await database.ScalarAsync<string>($"SELECT datname FROM pg_database WHERE datname LIKE '{database.Name}_before_restore_%'");
        await using var kept = new TestDatabase(database.Server, keptAs!);
        Assert.True(await kept.TableExistsAsync("blog_posts"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_backup_is_refused_and_nothing_changes()
    {
        await using var database = await TestDatabases.NewAsync();
        var file = Path.Combine(TestPaths.NewTempDirectory("backups"), "superset-20260101-000000-v1.dump");
        await File.WriteAllTextAsync(file, "this is not a pg_dump archive");

        var restore = await CliRunner.For(database).RunAsync("restore", file, "--into", $"{database.Name}_x");

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("is not a backup pg_restore can read", restore.Error);
        Assert.Null(await database.ScalarAsync<string>($"SELECT datname FROM pg_database WHERE datname = '{database.Name}_x'"));
    }

}
