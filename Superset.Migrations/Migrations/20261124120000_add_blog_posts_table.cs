using FluentMigrator;

namespace Superset.Migrations.Migrations;

[Migration(20261124120000, "add blog_posts table")]
public sealed class M20261124120000_AddBlogPostsTable : Migration
{
    public override void Up()
    {
        Create.Table("blog_posts")
            .WithColumn("id").AsInt32().NotNullable().PrimaryKey("blog_posts_pkey").Identity()
            .WithColumn("title").AsString(200).NotNullable()
            .WithColumn("content").AsString().Nullable()
            .WithColumn("created_at").AsDateTime().Nullable().WithDefault(SystemMethods.CurrentDateTime);
    }

    public override void Down()
    {
        Delete.Table("blog_posts");
    }
}
