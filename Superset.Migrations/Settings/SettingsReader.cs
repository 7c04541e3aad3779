using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Superset.Migrations.Settings;

/// <summary>A setting that cannot be used; the message names it and says what it takes.</summary>
public sealed class InvalidSettingException(string message) : Exception(message);

/// <summary>A settings type that checks its own values: the one place each rule is written.</summary>
public interface IValidatedSettings
{
    /// <summary>One line per value that cannot be used, naming the setting; none when all is well.</summary>
    IEnumerable<string> Errors();
}

/// <summary>
/// How every program reads a section of settings: the configuration binder into the section's type, then the type's own
/// checks. The AppHost reads its configuration, the worker its host's (as options, with the same checks), and the
/// command line its environment (<c>Postgres__Port=54400</c>), so that each setting is parsed in one place.
/// </summary>
public static partial class SettingsReader
{
    public static T Read<T>(IConfiguration configuration, string section) where T : class, IValidatedSettings, new()
    {
        T settings;
        try
        {
            settings = configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex) when (Describe(ex) is { } message)
        {
            throw new InvalidSettingException(message);
        }

        var errors = settings.Errors().ToArray();
        return errors.Length == 0 ? settings : throw new InvalidSettingException(string.Join(" ", errors));
    }

    /// <summary>The environment variable of a configuration key: <c>Postgres:Port</c> is <c>Postgres__Port</c>.</summary>
    public static string Variable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>Configuration made of environment variables (<c>Postgres__Port</c> read as <c>Postgres:Port</c>).</summary>
    public static IConfiguration FromVariables(IEnumerable<KeyValuePair<string, string?>> variables) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(variables.Select(v => new KeyValuePair<string, string?>(v.Key.Replace("__", ":", StringComparison.Ordinal), v.Value)))
            .Build();

    /// <summary>
    /// The binder's "Failed to convert configuration value 'ten' at 'Backup:Keep' to type 'System.Int32'" in words:
    /// "Backup:Keep 'ten' is not a whole number"; null for another error.
    /// </summary>
    public static string? Describe(InvalidOperationException exception)
    {
        var match = ConversionFailure().Match(exception.Message);
        if (!match.Success)
        {
            return null;
        }

        var typeName = match.Groups["type"].Value;
        var type = Type.GetType(typeName) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        var expected = type switch
        {
            { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(double) => "a number",
            _ => $"a {type?.Name ?? typeName}",
        };
        return $"{match.Groups["key"].Value} '{match.Groups["value"].Value}' is not {expected}.";
    }

    [GeneratedRegex("Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'")]
    private static partial Regex ConversionFailure();
}
