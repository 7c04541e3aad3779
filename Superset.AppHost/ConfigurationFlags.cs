using Microsoft.Extensions.Configuration;
using Superset.Migrations.Settings;

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

    /// <summary>A section of settings, read and checked as every program reads it; a bad value stops the AppHost with one line.</summary>
    public static T ReadSettings<T>(this IDistributedApplicationBuilder builder, string section) where T : class, IValidatedSettings, new()
    {
        try
        {
            return SettingsReader.Read<T>(builder.Configuration, section);
        }
        catch (InvalidSettingException ex)
        {
            throw new DistributedApplicationException(ex.Message);
        }
    }
}
