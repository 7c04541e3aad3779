using System.Net;
using Npgsql;

namespace Superset.Migrations.DeveloperDatabase;

/// <summary>
/// Whether a database is a developer's own, for what only such a database may have done to it without <c>--force</c>
/// (<c>reset</c>, seed data, a snapshot restored over it): on this machine (a loopback address or a Unix socket), and
/// not in an environment that says otherwise (<c>DOTNET_ENVIRONMENT</c>, else <c>ASPNETCORE_ENVIRONMENT</c>, when set,
/// must be Development).
/// </summary>
public static class LocalDevelopment
{
    public static readonly string[] EnvironmentVariables = ["DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT"];

    /// <summary>Why the database is not a local development one; null when it is.</summary>
    public static string? WhyNot(Func<string, string?> variable, NpgsqlConnectionStringBuilder database)
    {
        var (name, environment) = EnvironmentVariables.Select(name => (name, value: variable(name))).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v.value));
        if (environment is not null && !environment.Equals("Development", StringComparison.OrdinalIgnoreCase))
        {
            return $"the environment is {environment} ({name}), not Development";
        }

        var host = database.Host ?? "localhost";
        return IsThisMachine(host) ? null : $"the database is on {host}, not on this machine";
    }

    private static bool IsThisMachine(string hosts) =>
        hosts.Split(',').All(host =>
        {
            // host, host:port, [v6]:port or a bare IPv6 address.
            var entry = host.Trim();
            var name = entry.StartsWith('[') && entry.Contains(']', StringComparison.Ordinal) ? entry[1..entry.IndexOf(']', StringComparison.Ordinal)]
                : entry.Count(c => c == ':') == 1 ? entry.Split(':')[0]
                : entry;
            return name.StartsWith('/') || name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                   || IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address);
        });
}
