using Npgsql;
using Superset.Migrations.Seeding;

namespace Superset.Migrations.Seeds;

/// <summary><c>seed --dataset many-posts</c>: five hundred posts, to see the pages with a long history.</summary>
public sealed class ManyPostsSeed : DevelopmentSeed
{
    public const int Count = 500;

    public override string Name => "many-posts";

    public override string Dataset => "many-posts";

    public override async Task RunAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"INSERT INTO blog_posts (title, content) SELECT 'Post ' || g, 'Seeded post number ' || g || '.' FROM generate_series(1, {Count}) g", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
