using System.Diagnostics;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

// The three lines of README's minimal test, nothing else given: what a user's first test does. Then what the test
// saw, as one line of JSON: the database the web app uses, its blog posts, and how long the start and the stop took.
var clock = Stopwatch.StartNew();
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Superset_AppHost>(timeout.Token);
await using var app = await builder.BuildAsync(timeout.Token);
await app.StartAsync(timeout.Token);

await app.ResourceNotifications.WaitForResourceHealthyAsync("web", timeout.Token);
var started = clock.Elapsed;

using var http = app.CreateHttpClient("web");
var overview = JsonDocument.Parse(await http.GetStringAsync("/api/migrations", timeout.Token)).RootElement;
var posts = await http.GetStringAsync("/api/blog-posts", timeout.Token);

clock.Restart();
await app.StopAsync(timeout.Token);
await app.DisposeAsync();

Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
{
    ["database"] = overview.GetProperty("database").GetString(),
    ["version"] = overview.GetProperty("current").GetProperty("version").GetInt64(),
    ["posts"] = posts,
    ["startSeconds"] = Math.Round(started.TotalSeconds, 2),
    ["stopSeconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2),
}));
