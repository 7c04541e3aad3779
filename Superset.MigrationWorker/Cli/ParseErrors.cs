using System.CommandLine;
using System.CommandLine.Parsing;

namespace Superset.MigrationWorker.Cli;

/// <summary>
/// What a parse error says: one line, in the words of this command line ("--target needs a value: --target VERSION"),
/// not the library's type names ("…as expected type 'System.Nullable`1[System.Int64]'"). The values' own checks
/// (<see cref="CliOptions"/>) already speak that way and are kept as they are.
/// </summary>
internal static class ParseErrors
{
    public static string Describe(ParseResult result, Command root)
    {
        var command = result.CommandResult.Command;
        if (result.UnmatchedTokens.Count > 0)
        {
            var token = CliOptions.Shorten(result.UnmatchedTokens[0]);
            return command == root
                ? $"Unknown command '{token}'. Commands: {string.Join(", ", root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))} (see --help)."
                : token.StartsWith('-')
                    ? $"Unknown option '{token}' for '{command.Name}' (see 'manage_migrations.sh {command.Name} --help')."
                    : $"Unexpected argument '{token}' for '{command.Name}' (see 'manage_migrations.sh {command.Name} --help').";
        }

        var error = result.Errors[0];
        return error.SymbolResult switch
        {
            OptionResult option when option.Tokens.Count == 0 =>
                $"{option.Option.Name} needs a value: {option.Option.Name} {option.Option.HelpName ?? "VALUE"}.",
            OptionResult option when option.Tokens.Count > 1 && option.Option.Arity.MaximumNumberOfValues == 1 =>
                $"{option.Option.Name} is given twice.",
            ArgumentResult { Argument: var argument } when result.CommandResult.Children.OfType<ArgumentResult>().All(a => a.Tokens.Count == 0) =>
                $"'{command.Name}' needs more: manage_migrations.sh {command.Name} <{argument.HelpName ?? argument.Name}> (see --help).",
            CommandResult when command == root => "Give a command (see --help).",
            // The library's own words, on one line ("Argument 'x' not recognized. Must be one of: 'a' 'b'").
            _ => string.Join(' ', error.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
        };
    }
}
