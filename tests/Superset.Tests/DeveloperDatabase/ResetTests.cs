using Superset.Migrations.Backup;
using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.DeveloperDatabase;

/// <summary><c>reset</c>: nothing of the old database is kept but its backup; the new one is at head, with the seed data.</summary>
[Trait("Category", "Db")]
public sealed class ResetTests
{
    [Fact]
    public async Task Reset_keeps_nothing_of_the_database_leaves_a_backup_of_it_and_gives_a_migrated_seeded_one()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        await database.ExecuteAsync("INSERT INTO my_new_table (name) VALUES ('old row'); CREATE TABLE scratch (note text); INSERT INTO scratch VALUES ('made by hand')");
        var cli = CliRunner.For(database);

        var reset = await cli.RunAsync("reset", "--json");

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM my_new_table"));
        Assert.False(await database.TableExistsAsync("scratch"));
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM blog_posts"));
        Assert.Equal("welcome-posts", await database.ScalarAsync<string>("SELECT string_agg(name, ',') FROM migrations.seeds"));
        Assert.Equal(3, reset.Json.GetProperty("applied").GetInt32());

        // The backup holds what was dropped.
        var backup = Assert.Single(BackupFile.List(cli.BackupDirectory));
        Assert.Equal(backup.Path, reset.Json.GetProperty("backup").GetString());
        var restored = $"r_{Guid.NewGuid():N}"[..20];
        Assert.Equal(0, (await cli.RunAsync("restore", backup.Path, "--into", restored)).ExitCode);
        await using var connection = await database.Server.OpenAsync(restored);
        await using var command = new Npgsql.NpgsqlCommand("SELECT note FROM scratch", connection);
        Assert.Equal("made by hand", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Outside_development_reset_is_refused_with_nothing_changed_and_forced_it_adds_no_seed_data()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        await database.ExecuteAsync("INSERT INTO my_new_table (name) VALUES ('production-like row')");
        var cli = CliRunner.For(database);
        cli.Variables["DOTNET_ENVIRONMENT"] = "Staging";

        var refused = await cli.RunAsync("reset");

        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("reset is for a local development database, and the environment is Staging", refused.Error);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM my_new_table"));
        Assert.Empty(BackupFile.List(cli.BackupDirectory));

        var forced = await cli.RunAsync("reset", "--force");

        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("No seed data: it is for local development", forced.Error);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM my_new_table"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM blog_posts"));
    }

    [Fact]
    public async Task A_database_on_another_host_is_refused_before_anything_connects()
    {
        var cli = new CliRunner("postgresql://app:secret@db.example.invalid:5432/superset");

        foreach (var command in new[] { "reset", "seed" })
        {
            var refused = await cli.RunAsync(command);

            Assert.Equal(4, refused.ExitCode);
            Assert.Contains("the database is on db.example.invalid, not on this machine", refused.Error);
            Assert.DoesNotContain("secret", refused.Error);
        }
    }
}
