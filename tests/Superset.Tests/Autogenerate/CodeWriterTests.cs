using Superset.Migrations.Autogenerate;
using Superset.Migrations.Models;
using Superset.Migrations.Schema;

namespace Superset.Tests.Autogenerate;

/// <summary>The FluentMigrator code autogenerate writes, from the app's models and from changes in memory.</summary>
[Trait("Category", "Unit")]
public sealed class CodeWriterTests
{
    [Fact]
    public void The_blog_posts_model_becomes_the_migration_the_readme_shows()
    {
        var posts = ModelReader.App.Find("blog_posts")!;

        var generated = Autogenerator.Generate(DatabaseSchema.Empty, new DatabaseSchema([posts]));

        Assert.Equal(
        [
            "Create.Table(\"blog_posts\")",
            "    .WithColumn(\"id\").AsInt32().NotNullable().PrimaryKey(\"blog_posts_pkey\").Identity()",
            "    .WithColumn(\"title\").AsString(200).NotNullable()",
            "    .WithColumn(\"content\").AsString().Nullable()",
            "    .WithColumn(\"created_at\").AsDateTime().Nullable().WithDefault(SystemMethods.CurrentDateTime);",
        ], generated.Up);
        Assert.Equal(
        [
            "// WARNING: drops table blog_posts and every row in it (ban-drop-table, error): stop using it in the code and deploy first, back it up, then drop it deliberately with [AllowUnsafe].",
            "Delete.Table(\"blog_posts\");",
        ], generated.Down);
    }

    [Fact]
    public void The_app_models_are_the_three_seed_tables()
    {
        Assert.Equal(["blog_posts", "my_new_table", "user_preferences"], ModelReader.App.Tables.Select(t => t.Name).Order());
        Assert.Equal(typeof(BlogPost).Assembly, typeof(UserPreferences).Assembly);
    }

    [Fact]
    public void A_dropped_column_is_written_with_its_warning_and_its_reverse_adds_it_back()
    {
        var column = new ColumnSchema("summary", ColumnType.Text, Nullable: true, Default: null, Identity: false);

        var up = FluentCodeWriter.Write([new DropColumn("blog_posts", column)]);
        var down = FluentCodeWriter.Write([new DropColumn("blog_posts", column).Inverse()]);

        Assert.Equal(
        [
            "// WARNING: drops column blog_posts.summary and its data (ban-drop-column, error): stop using it in the code and deploy first, then drop it in a later migration with [AllowUnsafe].",
            "Delete.Column(\"summary\").FromTable(\"blog_posts\");",
        ], up);
        Assert.Equal(["Alter.Table(\"blog_posts\").AddColumn(\"summary\").AsString().Nullable();"], down);
    }

    [Fact]
    public void A_foreign_key_is_written_with_its_delete_rule()
    {
        var key = new ForeignKeySchema("posts_author_id_fkey", ["author_id"], "authors", ["id"], OnDelete.Cascade);

        Assert.Equal(
            ["Create.ForeignKey(\"posts_author_id_fkey\").FromTable(\"posts\").ForeignColumns(\"author_id\").ToTable(\"authors\").PrimaryColumns(\"id\").OnDelete(System.Data.Rule.Cascade);"],
            FluentCodeWriter.Write([new AddForeignKey("posts", key, TableIsNew: true)]));

        // On a table that has rows, the same code comes with lint's warning above it.
        Assert.StartsWith("// WARNING: adds foreign key posts_author_id_fkey on posts without NOT VALID (constraint-missing-not-valid, error): ",
            FluentCodeWriter.Write([new AddForeignKey("posts", key)])[0]);
    }

    [Fact]
    public void A_restricting_foreign_key_is_written_as_sql_with_every_identifier_quoted_and_escaped()
    {
        var key = new ForeignKeySchema("odd\"name", ["author_id"], "authors", ["id"], OnDelete.Restrict);

        var line = Assert.Single(FluentCodeWriter.Write([new AddForeignKey("posts", key, TableIsNew: true)]));

        Assert.StartsWith("Execute.Sql(", line);
        Assert.Contains("ADD CONSTRAINT \\\"odd\\\"\\\"name\\\"", line);
        Assert.Contains("ON DELETE RESTRICT", line);
    }

    [Fact]
    public void A_unique_index_and_a_unique_constraint_are_written_as_fluentmigrator_says_them()
    {
        var lines = FluentCodeWriter.Write(
        [
            new AddIndex("authors", new IndexSchema("ix_authors_email", ["email"], Unique: true), TableIsNew: true),
            new AddUnique("authors", new UniqueSchema("authors_name_key", ["name", "born"]), TableIsNew: true),
        ]);

        Assert.Equal(
        [
            "Create.Index(\"ix_authors_email\").OnTable(\"authors\").OnColumn(\"email\").Ascending().WithOptions().Unique();",
            "Create.UniqueConstraint(\"authors_name_key\").OnTable(\"authors\").Columns(\"name\", \"born\");",
        ], lines);
    }

    [Theory]
    [InlineData("varchar(200)", "varchar(200)")]
    [InlineData("character varying(20)", "varchar(20)")]
    [InlineData("timestamp without time zone", "timestamp")]
    [InlineData("int4", "integer")]
    [InlineData("numeric(10, 2)", "numeric(10,2)")]
    [InlineData("jsonb", "jsonb")]
    public void Column_types_read_in_any_spelling_have_one_canonical_one(string written, string canonical)
    {
        Assert.Equal(canonical, ColumnType.Parse(written).Sql);
    }

    [Fact]
    public void A_shorter_varchar_narrows_a_longer_one_and_not_the_other_way()
    {
        Assert.True(ColumnType.Varchar(20).NarrowsFrom(ColumnType.Varchar(100)));
        Assert.False(ColumnType.Varchar(100).NarrowsFrom(ColumnType.Varchar(20)));
    }
}
