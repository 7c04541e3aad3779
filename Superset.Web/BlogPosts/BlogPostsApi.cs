using Npgsql;

namespace Superset.Web.BlogPosts;

internal static class BlogPostsApi
{
    public static IEndpointRouteBuilder MapBlogPostsApi(this IEndpointRouteBuilder app)
    {
        var posts = app.MapGroup("/api/blog-posts");

        posts.MapGet("/", async (NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        {
            await using var command = dataSource.CreateCommand(
                "SELECT id, title, content, created_at FROM blog_posts ORDER BY id DESC LIMIT 100");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<BlogPost>();
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(Read(reader));
            }

            return list;
        });

        posts.MapGet("/{id:int}", async (int id, NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        {
            await using var command = dataSource.CreateCommand("SELECT id, title, content, created_at FROM blog_posts WHERE id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Results.Ok(Read(reader)) : Results.NotFound();
        });

        posts.MapPost("/", async (NewBlogPost post, NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        {
            var errors = post.Validate();
            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors);
            }

            await using var command = dataSource.CreateCommand(
                "INSERT INTO blog_posts (title, content) VALUES ($1, $2) RETURNING id, title, content, created_at");
            command.Parameters.Add(new NpgsqlParameter { Value = post.Title!.Trim() });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)post.Content ?? DBNull.Value });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var created = Read(reader);
            return Results.Created($"/api/blog-posts/{created.Id}", created);
        });

        return app;
    }

    private static BlogPost Read(NpgsqlDataReader reader) => new(
        reader.GetInt32(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetDateTime(3));
}
