using FluentMigrator;

namespace Superset.Migrations.Migrations;

[Migration(20261124110000, "add my_new_table")]
public sealed class M20261124110000_AddMyNewTable : Migration
{
    public override void Up()
    {
        Create.Table("my_new_table")
            .WithColumn("id").AsInt32().NotNullable().PrimaryKey("my_new_table_pkey").Identity()
            .WithColumn("name").AsString(255).NotNullable()
            .WithColumn("description").AsString().Nullable()
            .WithColumn("created_at").AsDateTime().Nullable().WithDefault(SystemMethods.CurrentDateTime);
    }

    public override void Down()
    {
        Delete.Table("my_new_table");
    }
}
