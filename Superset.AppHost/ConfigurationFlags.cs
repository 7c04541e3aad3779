using Microsoft.Extensions.Configuration;

namespace Superset.AppHost;

internal static class ConfigurationFlags
{
    /// <summary>A true/false setting; anything else stops the AppHost with one line naming the setting (not a FormatException).</summary>
    public static bool Flag(this IConfiguration configuration, string key, bool defaultValue) => configuration[key] switch
    {
        null or "" => defaultValue,
        var value when bool.TryParse(value, out var parsed) => parsed,
        var value => throw new DistributedApplicationException($"{key} '{value}' is not true or false."),
    };
}
