using FluentMigrator;

namespace Superset.Migrations.Migrations;

[Migration(20261124100000, "create user_preferences table")]
public sealed class M20261124100000_CreateUserPreferencesTable : Migration
{
    public override void Up()
    {
        Create.Table("user_preferences")
            .WithColumn("id").AsInt32().NotNullable().PrimaryKey("user_preferences_pkey").Identity()
            .WithColumn("user_id").AsInt32().NotNullable()
            .WithColumn("theme").AsString(50).Nullable()
            .WithColumn("created_at").AsDateTime().Nullable().WithDefault(SystemMethods.CurrentDateTime);
    }

    public override void Down()
    {
        Delete.Table("user_preferences");
    }
}
