using Superset.Tests.Cli;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Superset.Tests.Shared;

namespace Superset.Tests.Web;

/// <summary>The blog posts stay usable: list, read and create, with clear 400s for bad input.</summary>
[Trait("Category", "Db")]
public sealed class BlogPostsApiTests
{
    [Fact]
    public async Task A_created_post_is_listed_and_readable()
    {
        await using var database = await MigratedDatabaseAsync();
        await using var web = new WebHost(database);
        using var http = web.CreateClient();

        var created = await http.PostAsJsonAsync("/api/blog-posts", new { title = "  Hello, Aspire  ", content = "First post." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var post = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Hello, Aspire", post.GetProperty("title").GetString());
        Assert.Equal($"/api/blog-posts/{post.GetProperty("id").GetInt32()}", created.Headers.Location?.OriginalString);

        var list = await http.GetFromJsonAsync<JsonElement[]>("/api/blog-posts");
        Assert.Equal(["Hello, Aspire"], list!.Select(p => p.GetProperty("title").GetString()));
        var one = await http.GetFromJsonAsync<JsonElement>(created.Headers.Location);
        Assert.Equal("First post.", one.GetProperty("content").GetString());
        Assert.True(one.GetProperty("createdAt").GetDateTime() > DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/blog-posts/999999")).StatusCode);
    }

    [Theory]
    [InlineData(null, "The title is required.")]
    [InlineData("   ", "The title is required.")]
    [InlineData(201, "The title has at most 200 characters (this one has 201).")]
    public async Task A_bad_title_is_a_400_that_says_what_is_wrong_and_stores_nothing(object? title, string message)
    {
        await using var database = await MigratedDatabaseAsync();
        await using var web = new WebHost(database);
        using var http = web.CreateClient();

        var response = await http.PostAsJsonAsync("/api/blog-posts", new { title = title is int length ? new string('x', length) : (string?)title });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([message], problem.GetProperty("errors").GetProperty("title").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM blog_posts"));
    }

    [Fact]
    public async Task Two_hundred_characters_outside_the_basic_plane_fit_the_varchar_200_column()
    {
        await using var database = await MigratedDatabaseAsync();
        await using var web = new WebHost(database);
        using var http = web.CreateClient();

        // 200 emoji are 400 UTF-16 code units, but 200 characters to PostgreSQL.
        var title = string.Concat(Enumerable.Repeat("🚀", 200));
        var response = await http.PostAsJsonAsync("/api/blog-posts", new { title });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(title, await database.ScalarAsync<string>("SELECT title FROM blog_posts"));
    }

    private static async Task<TestDatabase> MigratedDatabaseAsync()
    {
        var database = await TestDatabases.NewAsync();
        await Superset.Tests.Cli.CliRunner.For(database).RunAsync("upgrade", "--no-backup");
        return database;
    }
}
