using Superset.Migrations.Schema;

namespace Superset.Migrations.Models;

[Table("my_new_table")]
public sealed class MyNewTable
{
    [PrimaryKey] public int Id { get; set; }

    [MaxLength(255)] public string Name { get; set; } = "";

    public string? Description { get; set; }

    [Default(Sql.Now)] public DateTime? CreatedAt { get; set; }
}
