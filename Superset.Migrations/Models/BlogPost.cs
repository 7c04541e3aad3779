using Superset.Migrations.Schema;

namespace Superset.Migrations.Models;

[Table("blog_posts")]
public sealed class BlogPost
{
    [PrimaryKey] public int Id { get; set; }

    [MaxLength(200)] public string Title { get; set; } = "";

    public string? Content { get; set; }

    [Default(Sql.Now)] public DateTime? CreatedAt { get; set; }
}
