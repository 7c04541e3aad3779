using Superset.Tests.Shared;
using Superset.Tests.Cli;
namespace Superset.Tests.Safety;

/// <summary>Applied migrations are never edited, and hand-made schema changes do not go unnoticed.</summary>
[Trait("Category", "Db")]
public sealed class HumanErrorTests
{
    [Fact]
    public async Task An_edited_applied_migration_is_refused_by_upgrade_and_check_unless_allowed_which_is_recorded()
    {
        await using var database = await TestDatabases.NewAsync();
        await Fixture.CliFor(database, Fixture.Compile(Fixture.CreateTable(1, "accounts"), Fixture.CreateTable(2, "teams"))).RunAsync("upgrade");
        var edited = Fixture.CliFor(database, Fixture.Compile(
            Fixture.CreateTable(1, "accounts", ".WithColumn(\"email\").AsString(200).Nullable()"),
            Fixture.CreateTable(2, "teams"),
            Fixture.CreateTable(3, "projects")));

        var upgrade = await edited.RunAsync("upgrade");
        Assert.Equal(4, upgrade.ExitCode);
        Assert.Contains("Applied migrations were edited after they ran: 1 (create accounts)", upgrade.Error);
        Assert.Contains("--allow-changed", upgrade.Error);
        Assert.False(await database.TableExistsAsync("projects"));

        var check = await edited.RunAsync("check");
        Assert.Equal(4, check.ExitCode);
        Assert.Contains("❌ Edited after they were applied (1)", check.Out);
        Assert.Contains("1 (create accounts)", check.Out);

        var allowed = await edited.RunAsync("upgrade", "--allow-changed");
        Assert.Equal(0, allowed.ExitCode);
        Assert.Contains("Accepted the edited migration 1", allowed.Out);
        Assert.True(await database.TableExistsAsync("projects"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.events WHERE action = 'allow-changed' AND version = 1"));
        Assert.Equal(0, (await edited.RunAsync("upgrade")).ExitCode);
    }

    [Fact]
    public async Task Check_reports_objects_changed_by_hand_as_drift()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = Superset.Tests.Cli.CliRunner.For(database);
        await cli.RunAsync("upgrade");
        Assert.Equal(0, (await cli.RunAsync("check")).ExitCode);

        await database.ExecuteAsync("ALTER TABLE blog_posts ADD COLUMN hack integer; CREATE INDEX ix_by_hand ON my_new_table (name); ALTER TABLE user_preferences ALTER COLUMN theme TYPE varchar(80)");
        var check = await cli.RunAsync("check");

        Assert.Equal(4, check.ExitCode);
        Assert.Contains("❌ Changed by hand in the database (drift) (3)", check.Out);
        Assert.Contains("column blog_posts.hack exists, but no migration adds it", check.Out);
        Assert.Contains("index ix_by_hand on my_new_table exists, but no migration creates it", check.Out);
        Assert.Contains("column user_preferences.theme is varchar(80) NULL, but migrations make it varchar(50) NULL", check.Out);
    }

    [Fact]
    public async Task Check_reports_a_model_changed_without_a_migration()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = Superset.Tests.Cli.CliRunner.For(database);
        await cli.RunAsync("upgrade");
        var models = Superset.Tests.Shared.MigrationCompiler.Compile(Superset.Tests.Shared.TestPaths.NewTempDirectory("models"),
        [
            string.Join('\n', Superset.Tests.Shared.MigrationCompiler.AppModelSources())
                .Replace("public string? Content { get; set; }", "public string? Content { get; set; } public int Likes { get; set; }"),
        ]);

        var check = await cli.RunAsync("check", "--models-assembly", models);

        Assert.Equal(4, check.ExitCode);
        Assert.Contains("❌ Models and migrations disagree (1)", check.Out);
        Assert.Contains("models add column blog_posts.likes: run create", check.Out);
    }
}
