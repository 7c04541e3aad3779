using System.CommandLine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>completion bash</c>: a completion script for bash (and zsh with bashcompinit) that asks the command line itself
/// what may come next, from the same command tree that parses it: commands, options, and the versions of this build's
/// migrations after <c>--target</c>.
/// </summary>
internal sealed class CompletionCommand : ICliCommand
{
    private readonly Argument<string> _shell = new Argument<string>("shell")
    {
        Description = "The shell to write the script for.",
    }.AcceptOnlyFromAmong("bash");

    private readonly Argument<string> _line = new("line") { Description = "The command line typed so far." };

    private readonly Argument<int> _position = new("position") { Description = "Where the cursor is in it." };

    public CompletionCommand()
    {
        Command = new("completion",
            "Print the shell completion script: source <(scripts/manage_migrations.sh completion bash), e.g. in ~/.bashrc.")
        {
            _shell,
        };

        // What the script calls at each Tab: the words that may come next, one per line.
        var complete = new Command("__complete", "Suggest what may come next (used by the completion script).") { Hidden = true };
        complete.Arguments.Add(_line);
        complete.Arguments.Add(_position);
        complete.SetAction(Suggest);
        Command.Subcommands.Add(complete);
    }

    public Command Command { get; }

    public Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        context.Environment.Out.Write("""
            # manage_migrations.sh completion for bash (zsh: autoload -U +X bashcompinit && bashcompinit first).
            _manage_migrations_complete() {
              local IFS=$'\n'
              local words
              words=$("${COMP_WORDS[0]}" completion __complete "$COMP_LINE" "$COMP_POINT" 2>/dev/null) || return 0
              COMPREPLY=($(compgen -W "$words" -- "${COMP_WORDS[COMP_CWORD]}"))
            }
            complete -F _manage_migrations_complete manage_migrations.sh ./manage_migrations.sh scripts/manage_migrations.sh ./scripts/manage_migrations.sh

            """);
        return Task.FromResult(ExitCodes.Success);
    }

    /// <summary>Completions of the line after the program's own name, at the cursor.</summary>
    private int Suggest(ParseResult parseResult)
    {
        var line = parseResult.GetValue(_line) ?? string.Empty;
        var position = Math.Clamp(parseResult.GetValue(_position), 0, line.Length);
        var program = line.IndexOf(' ', StringComparison.Ordinal);
        var rest = program < 0 ? string.Empty : line[(program + 1)..];
        var cursor = Math.Max(0, position - (program + 1));
        // The tree this very line was parsed with: completions always match what parses.
        foreach (var completion in parseResult.RootCommandResult.Command.Parse(rest).GetCompletions(cursor))
        {
            parseResult.InvocationConfiguration.Output.WriteLine(completion.Label);
        }

        return ExitCodes.Success;
    }
}
