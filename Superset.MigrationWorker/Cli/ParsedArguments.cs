using System.Globalization;

namespace Superset.MigrationWorker.Cli;

/// <summary>Bad command-line input: one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>A command line split into positional arguments and options, checked against the command's spec.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string?> _options;

    private ParsedArguments(CommandSpec spec, IReadOnlyList<string> positional, Dictionary<string, string?> options)
    {
        Spec = spec;
        Positional = positional;
        _options = options;
    }

    public CommandSpec Spec { get; }

    public IReadOnlyList<string> Positional { get; }

    public bool Has(string option) => _options.ContainsKey(option);

    public string? Value(string option) => _options.GetValueOrDefault(option);

    public long? Version(string option) => Value(option) is { } value ? ParseVersion(value, $"--{option}") : null;

    public int? Integer(string option, int min = int.MinValue)
    {
        if (Value(option) is not { } value)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < min)
        {
            throw new UsageException($"--{option} takes a whole number{(min > int.MinValue ? $" of at least {min}" : "")}, not '{value}'.");
        }

        return number;
    }

    public TimeSpan? Seconds(string option)
    {
        if (Value(option) is not { } value)
        {
            return null;
        }

        var text = value.EndsWith('s') ? value[..^1] : value;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0 || seconds > 86_400)
        {
            throw new UsageException($"--{option} takes a number of seconds (such as 30 or 2.5), not '{value}'.");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A migration version: digits only, as FluentMigrator versions are.</summary>
    public static long ParseVersion(string value, string what)
    {
        if (value.Length is 0 or > 18 || !value.All(char.IsAsciiDigit) || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new UsageException($"{what} must be a migration version such as 20261124120000, not '{Shorten(value)}'.");
        }

        return version;
    }

    public static ParsedArguments Parse(CommandSpec spec, IReadOnlyList<string> arguments)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument == "--")
            {
                positional.AddRange(arguments.Skip(i + 1));
                break;
            }

            if (argument is "-h")
            {
                options["help"] = null;
                continue;
            }

            if (!argument.StartsWith("--", StringComparison.Ordinal) || argument.Length == 2)
            {
                positional.Add(argument);
                continue;
            }

            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? argument[2..equals] : argument[2..];
            var option = spec.FindOption(name)
                ?? throw new UsageException($"Unknown option '--{Shorten(name)}' for '{spec.Name}' (see 'manage_migrations.sh {spec.Name} --help').");
            if (options.ContainsKey(name))
            {
                throw new UsageException($"--{name} is given twice.");
            }

            if (!option.TakesValue)
            {
                if (equals > 0)
                {
                    throw new UsageException($"--{name} takes no value.");
                }

                options[name] = null;
            }
            else if (equals > 0)
            {
                options[name] = argument[(equals + 1)..];
            }
            else if (i + 1 < arguments.Count)
            {
                options[name] = arguments[++i];
            }
            else
            {
                throw new UsageException($"--{name} needs a value: --{name} {option.ValueName}.");
            }
        }

        if (!options.ContainsKey("help"))
        {
            if (positional.Count < spec.MinArguments)
            {
                throw new UsageException($"'{spec.Name}' needs more: manage_migrations.sh {spec.Usage}");
            }

            if (positional.Count > spec.MaxArguments)
            {
                throw new UsageException($"Unexpected argument '{Shorten(positional[spec.MaxArguments])}' for '{spec.Name}': manage_migrations.sh {spec.Usage}");
            }
        }

        return new ParsedArguments(spec, positional, options);
    }

    /// <summary>User input echoed in an error stays on one short line.</summary>
    public static string Shorten(string value)
    {
        var oneLine = new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return oneLine.Length <= 60 ? oneLine : oneLine[..57] + "...";
    }
}
