using Superset.Migrations.Autogenerate;

namespace Superset.Tests.Autogenerate;

/// <summary>How a description given to <c>create</c> names a migration's file and class, and what it refuses.</summary>
[Trait("Category", "Unit")]
public sealed class MigrationNameTests
{
    [Theory]
    [InlineData("add café table", "add_cafe_table", "AddCafeTable")]
    [InlineData("Add Tags-Table (v2)", "add_tags_table_v2", "AddTagsTableV2")]
    [InlineData("add user's avatar", "add_user_s_avatar", "AddUserSAvatar")]
    [InlineData("2fa secrets", "2fa_secrets", "2faSecrets")]
    [InlineData("add\ttags  table\nnow", "add_tags_table_now", "AddTagsTableNow")]
    public void A_description_names_the_file_and_the_class(string description, string snake, string pascal)
    {
        var name = MigrationName.Parse(description);

        Assert.Equal(snake, name.SnakeCase);
        Assert.Equal(pascal, name.PascalCase);
        Assert.Empty(name.Warnings);
    }

    [Theory]
    [InlineData("", "A description is required")]
    [InlineData("   ", "A description is required")]
    [InlineData("add \"quoted\" table", "contains '\"'")]
    [InlineData("x'; DROP TABLE blog_posts; --", "contains ';'")]
    [InlineData("日本語のテーブル", "makes no valid identifier")]
    [InlineData("!!!", "contains '!'")]
    public void A_description_that_cannot_name_a_migration_is_refused(string description, string message)
    {
        Assert.Contains(message, Assert.Throws<InvalidMigrationNameException>(() => MigrationName.Parse(description)).Message);
    }

    [Fact]
    public void A_description_of_ten_thousand_characters_is_refused_with_its_length()
    {
        Assert.Contains("has 10000 characters", Assert.Throws<InvalidMigrationNameException>(() => MigrationName.Parse(new string('a', 10_000))).Message);
    }

    [Theory]
    [InlineData("changes")]
    [InlineData("Update DB")]
    [InlineData("wip")]
    public void A_vague_description_is_taken_with_a_warning(string description)
    {
        Assert.Contains("is vague", Assert.Single(MigrationName.Parse(description).Warnings));
    }

    [Fact]
    public void The_next_version_is_the_time_unless_taken_then_the_next_free_second()
    {
        var now = new DateTime(2026, 11, 25, 9, 30, 0, DateTimeKind.Utc);

        Assert.Equal(20261125093000, MigrationVersion.Next(now, []));
        Assert.Equal(20261125093001, MigrationVersion.Next(now, [20261125093000]));
        Assert.Equal(20261125093100, MigrationVersion.Next(now, [20261125093059, 20261125093000]));
    }

    [Theory]
    [InlineData("20261124120000_add_blog_posts_table.cs", 20261124120000L)]
    [InlineData("notes.cs", null)]
    public void A_migration_file_name_gives_its_version(string file, long? version)
    {
        Assert.Equal(version, MigrationVersion.FromFileName(file));
    }
}
