using System.Net.Http.Json;

namespace Superset.AppHost.Tests;

/// <summary>Two test stacks at once on the same server: each in a database of its own, gone when the stack is.</summary>
[Trait("Category", "Stack")]
public sealed class SideBySideStackTests
{
    [Fact]
    public async Task Two_stacks_at_once_never_see_each_others_rows_and_their_databases_go_with_them()
    {
        var stacks = await Task.WhenAll(SupersetStack.StartIsolatedAsync(), SupersetStack.StartIsolatedAsync());
        await using var one = stacks[0];
        await using var two = stacks[1];
        await Task.WhenAll(one.App.WaitForHealthyAsync("web"), two.App.WaitForHealthyAsync("web"));

        Assert.NotEqual(one.DatabaseName, two.DatabaseName);
        using var first = one.App.CreateHttpClient("web");
        using var second = two.App.CreateHttpClient("web");
        using var created = await first.PostAsJsonAsync("/api/blog-posts", new { title = "only in the first stack", content = "" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        Assert.Contains("only in the first stack", await first.GetStringAsync("/api/blog-posts"));
        Assert.DoesNotContain("only in the first stack", await second.GetStringAsync("/api/blog-posts"));

        var cluster = one.Cluster;
        var databases = new[] { one.DatabaseName, two.DatabaseName };
        await one.DisposeAsync();
        await two.DisposeAsync();
        Assert.DoesNotContain(await IsolatedDatabaseNames.OnAsync(cluster), databases.Contains);
    }
}
