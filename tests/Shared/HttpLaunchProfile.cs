using System.Diagnostics;
using System.Text.Json;

namespace Superset.Tests.Shared;

/// <summary>
/// The AppHost's <c>http</c> launch profile (<c>Superset.AppHost/Properties/launchSettings.json</c>), the one F5 and
/// scripts/run.sh use, read from that file: the tests and the bench start the built AppHost exactly as a developer's
/// F5 does, and follow the profile when it changes. Shared with the bench, so no xunit here.
/// </summary>
public static class HttpLaunchProfile
{
    /// <summary>The profile's environment, with its applicationUrl as ASPNETCORE_URLS (what <c>dotnet run</c> does with it).</summary>
    public static IReadOnlyDictionary<string, string> Environment(string appHostProjectDirectory)
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(appHostProjectDirectory, "Properties", "launchSettings.json")));
        var profile = settings.RootElement.GetProperty("profiles").GetProperty("http");
        var environment = profile.GetProperty("environmentVariables").EnumerateObject()
            .ToDictionary(variable => variable.Name, variable => variable.Value.GetString() ?? string.Empty);
        environment["ASPNETCORE_URLS"] = profile.GetProperty("applicationUrl").GetString()!;
        return environment;
    }

    public static void ApplyTo(ProcessStartInfo start, string appHostProjectDirectory)
    {
        foreach (var (name, value) in Environment(appHostProjectDirectory))
        {
            start.Environment[name] = value;
        }
    }

    /// <summary>The ports the profile's addresses name: the dashboard's, its OTLP and resource service endpoints.</summary>
    public static IReadOnlyList<int> Ports(string appHostProjectDirectory) =>
        Environment(appHostProjectDirectory).Values
            .SelectMany(value => value.Split(';'))
            .Select(value => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.Port : (int?)null)
            .OfType<int>()
            .Distinct()
            .ToArray();
}
