using System.Text.Json;

namespace Superset.AppHost.Tests;

/// <summary>
/// The stack's dashboard, as a person opens it (its login link) and as its telemetry API shows the spans of a resource:
/// what the traces page lists, after the OTLP export from the resource's processes.
/// </summary>
public sealed class DashboardTelemetry(DistributedApplication app)
{
    /// <summary>The key of the dashboard's telemetry API: new for every test run, given to each stack.</summary>
    public static readonly string ApiKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>The dashboard's login link (with its token), as the AppHost prints it.</summary>
    public string LoginUrl =>
        app.ResourceNotifications.TryGetCurrentState("aspire-dashboard", out var state)
            ? state.Snapshot.Urls.First(url => url.Name == "http").Url
            : throw new InvalidOperationException("The dashboard is not running.");

    public async Task<IReadOnlyList<string>> SpanNamesAsync(string resource)
    {
        using var http = new HttpClient { BaseAddress = new Uri(new Uri(LoginUrl).GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("x-api-key", ApiKey);
        using var response = await http.GetAsync($"/api/telemetry/spans?resource={resource}");
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The dashboard answered {(int)response.StatusCode}: {body}");
        }

        using var document = JsonDocument.Parse(body);
        var names = new List<string>();
        Collect(document.RootElement);
        return names;

        // The response is OTLP JSON: every object with a spanId is a span.
        void Collect(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                if (element.TryGetProperty("spanId", out _) && element.TryGetProperty("name", out var name))
                {
                    names.Add(name.GetString()!);
                }

                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item);
                }
            }
        }
    }

    /// <summary>Polls until the resource's spans satisfy <paramref name="condition"/> (exports are batched), for 30 s at most.</summary>
    public async Task<IReadOnlyList<string>> WaitForSpansAsync(string resource, Func<IReadOnlyList<string>, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var names = await SpanNamesAsync(resource);
            if (condition(names) || DateTime.UtcNow > deadline)
            {
                return names;
            }

            await Task.Delay(500);
        }
    }
}
