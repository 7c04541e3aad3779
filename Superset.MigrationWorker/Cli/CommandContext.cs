using System.CommandLine;

namespace Superset.MigrationWorker.Cli;

/// <summary>
/// One run of one command: the values it was given, and its collaborators, each made on first use so that <c>--help</c>
/// and bad input touch nothing: what it prints (<see cref="Output"/>), the database (<see cref="Database"/>), the
/// migrations and engine (<see cref="Migrations"/>) and the backups (<see cref="Backups"/>).
/// </summary>
internal sealed class CommandContext
{
    private readonly ParseResult _parseResult;

    public CommandContext(ParseResult parseResult, CliOptions options, CliEnvironment environment)
    {
        _parseResult = parseResult;
        Options = options;
        Environment = environment;
        Output = new CliOutput(environment, parseResult.GetValue(options.Json));
        Database = new CliDatabase(environment);
        Migrations = new CliMigrations(parseResult, options, environment);
        Backups = new CliBackups(parseResult, options, environment, Database, Output);
    }

    public CliOptions Options { get; }

    public CliEnvironment Environment { get; }

    public CliOutput Output { get; }

    public CliDatabase Database { get; }

    public CliMigrations Migrations { get; }

    public CliBackups Backups { get; }

    /// <summary>The value an option was given (checked while parsing), or its default.</summary>
    public T? Value<T>(Option<T> option) => _parseResult.GetValue(option);

    /// <summary>The value of a command's argument.</summary>
    public T? Value<T>(Argument<T> argument) => _parseResult.GetValue(argument);
}
