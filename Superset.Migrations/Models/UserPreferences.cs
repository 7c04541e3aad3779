using Superset.Migrations.Schema;

namespace Superset.Migrations.Models;

[Table("user_preferences")]
public sealed class UserPreferences
{
    [PrimaryKey] public int Id { get; set; }

    public int UserId { get; set; }

    [MaxLength(50)] public string? Theme { get; set; }

    [Default(Sql.Now)] public DateTime? CreatedAt { get; set; }
}
