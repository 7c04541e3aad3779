using System.Globalization;
using Superset.Migrations.LocalServer;

namespace Superset.AppHost;

/// <summary>
/// Two checkouts side by side (a <c>git worktree</c>, a second clone): the launch profile gives every checkout the same
/// ports (dashboard 15888, its OTLP and resource service endpoints, the web app's 5080), and the second F5 crashed
/// binding them. A port that another program holds when the AppHost starts is replaced by one of the checkout's own
/// (derived from its path, so it stays the same for it), and one line says so and names the holder.
/// </summary>
internal static class CheckoutPorts
{
    /// <summary>The AppHost's own endpoints, as the launch profile sets them.</summary>
    private static readonly (string Key, string What)[] AppHostEndpoints =
    [
        ("ASPNETCORE_URLS", "the dashboard"),
        ("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "the dashboard's OTLP endpoint"),
        ("ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "the dashboard's OTLP/HTTP endpoint"),
        ("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "the resource service"),
    ];

    /// <summary>How far from the profile's port a checkout's own ports are: 1 to 400, from the checkout's path.</summary>
    private static int Offset { get; } = ComputeOffset();

    /// <summary>
    /// The AppHost's arguments, with an override for each of its endpoints whose port is taken: command-line arguments
    /// come before the environment (where the launch profile put them) in the AppHost's configuration.
    /// </summary>
    public static string[] AvoidTakenPorts(string[] args)
    {
        var overrides = new List<string>();
        foreach (var (key, what) in AppHostEndpoints)
        {
            var value = ArgumentValue(args, key) ?? Environment.GetEnvironmentVariable(key);
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            var urls = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var moved = urls.Select(url => Move(url, what)).ToArray();
            if (!moved.SequenceEqual(urls))
            {
                overrides.Add($"--{key}={string.Join(';', moved)}");
            }
        }

        return [.. args, .. overrides];
    }

    /// <summary>The web app's HTTP port (5080 in its launch profile) when it is free, else the checkout's own.</summary>
    public static IResourceBuilder<ProjectResource> WithCheckoutHttpPort(this IResourceBuilder<ProjectResource> web)
    {
        if (web.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            web.WithEndpoint("http", endpoint =>
            {
                if (endpoint.Port is { } port)
                {
                    endpoint.Port = Free(port, "the web app");
                }
            }, createIfNotExists: false);
        }

        return web;
    }

    private static string Move(string url, string what)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Port <= 0 || !uri.IsLoopback && uri.Host != "localhost")
        {
            return url;
        }

        var port = Free(uri.Port, what);
        return port == uri.Port ? url : new UriBuilder(uri) { Port = port }.Uri.GetLeftPart(UriPartial.Authority);
    }

    private static int Free(int port, string what)
    {
        if (port == 0 || PortHolder.IsFree(port))
        {
            return port;
        }

        var replacement = Enumerable.Range(0, 100).Select(i => port + Offset + i).FirstOrDefault(PortHolder.IsFree);
        if (replacement == 0)
        {
            return port; // Nothing free nearby: let the bind fail and say so.
        }

        var holder = PortHolder.Describe(port);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ℹ️  {char.ToUpperInvariant(holder[0])}{holder[1..]}: {what} of this checkout uses port {replacement} instead."));
        return replacement;
    }

    private static string? ArgumentValue(string[] args, string key)
    {
        foreach (var prefix in new[] { $"--{key}=", $"{key}=" })
        {
            if (args.LastOrDefault(a => a.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) is { } argument)
            {
                return argument[prefix.Length..];
            }
        }

        return null;
    }

    private static int ComputeOffset() =>
        1 + PathOffset.Of(Checkout.FindRoot(AppContext.BaseDirectory) ?? AppContext.BaseDirectory, 400);
}
