using Npgsql;
using Superset.Migrations.Seeding;

namespace Superset.Migrations.Seeds;

/// <summary>The posts a fresh F5 shows: a page with content, not an empty list.</summary>
public sealed class WelcomePostsSeed : DevelopmentSeed
{
    public override string Name => "welcome-posts";

    public override async Task RunAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO blog_posts (title, content) VALUES
              ('Welcome to Superset', 'This post is development seed data: scripts/manage_migrations.sh reset brings it back.'),
              ('Migrations at a glance', 'The migrations page shows the schema version, the history and the backups.'),
              ('Snapshots before experiments', 'snapshot save NAME before you try something, snapshot restore NAME after.')
            """, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
