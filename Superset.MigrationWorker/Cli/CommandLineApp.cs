using System.CommandLine;
using System.CommandLine.Help;
using System.Text;
using System.Text.Json;
using Superset.MigrationWorker.Cli.Commands;
using Superset.Migrations.Connection;
using Superset.Migrations.Outcomes;

namespace Superset.MigrationWorker.Cli;

/// <summary>
/// The command line behind <c>scripts/manage_migrations.sh</c>: the seed's commands and output, on the engine, parsed by
/// System.CommandLine (typed options, generated help, completions; Ctrl+C and SIGTERM cancel the running command).
/// Every failure is one line on stderr and an exit code (see <see cref="ExitCodes"/>): a parse error is checked before
/// anything runs, and exits 2; nothing is touched before the input has been checked.
/// </summary>
internal static class CommandLineApp
{
    public const string Name = "manage_migrations.sh";

    /// <summary>After a Ctrl+C or SIGTERM, how long a command may take to roll back and say so before the process ends.</summary>
    private static readonly TimeSpan TerminationTimeout = TimeSpan.FromSeconds(10);

    private static readonly ICliCommand[] Commands =
    [
        new InitCommand(),
        new CreateCommand(),
        new UpgradeCommand(),
        new DowngradeCommand(),
        new StatusCommand(),
        new CurrentCommand(),
        new HistoryCommand(),
        new HeadsCommand(),
        new MergeCommand(),
        new StampCommand(),
        new AdoptCommand(),
        new CheckCommand(),
        new LintCommand(),
        new BackupCommand(),
        new BackupsCommand(),
        new RestoreCommand(),
        new ServerCommand(),
        new CompletionCommand(),
    ];

    /// <summary>The command tree, built once: its options are shared, and each action reads the environment of its run.</summary>
    private static readonly Lazy<Command> Root = new(BuildRoot);

    private static readonly AsyncLocal<CliEnvironment?> CurrentEnvironment = new();

    public static Command RootCommand => Root.Value;

    /// <summary>The program's entry: the process's streams and variables, Ctrl+C and SIGTERM.</summary>
    public static async Task<int> RunAsync(string[] arguments)
    {
        Console.OutputEncoding = Encoding.UTF8;
        using var telemetry = CliTelemetry.ExportIfConfigured();
        return await RunAsync(arguments, CliEnvironment.Process, CancellationToken.None, TerminationTimeout);
    }

    /// <param name="terminationTimeout">Null in process (tests): no signal handlers; the caller's token cancels.</param>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> arguments, CliEnvironment environment, CancellationToken cancellationToken, TimeSpan? terminationTimeout = null)
    {
        // No command, or the seed's "help": the overview.
        if (arguments.Count == 0 || arguments[0] == "help")
        {
            arguments = [.. arguments.Skip(1), "--help"];
        }

        var result = Root.Value.Parse(arguments);
        if (result.Errors.Count > 0 && result.Action is not HelpAction)
        {
            return Fail(environment, arguments.Contains("--json"), new Failure(ExitCodes.Usage, ParseErrors.Describe(result, Root.Value)));
        }

        CurrentEnvironment.Value = environment;
        try
        {
            return await result.InvokeAsync(new InvocationConfiguration
            {
                Output = environment.Out,
                Error = environment.Error,
                ProcessTerminationTimeout = terminationTimeout,
                EnableDefaultExceptionHandler = false,
            }, cancellationToken);
        }
        finally
        {
            CurrentEnvironment.Value = null;
        }
    }

    private static Command BuildRoot()
    {
        var root = new Command(Name, Overview())
        {
            new HelpOption(),
            CliOptions.Json,
            CliOptions.MigrationsAssembly,
            CliOptions.MigrationsDirectory,
            CliOptions.Tags,
            CliOptions.Profile,
            CliOptions.LockWait,
        };
        foreach (var command in Commands)
        {
            command.Command.SetAction((parseResult, cancellationToken) => RunCommandAsync(command, parseResult, cancellationToken));
            root.Subcommands.Add(command.Command);
        }

        return root;
    }

    /// <summary>One table from exception to line and exit code, the same as the worker's (<see cref="Failure"/>).</summary>
    private static async Task<int> RunCommandAsync(ICliCommand command, ParseResult parseResult, CancellationToken cancellationToken)
    {
        var environment = CurrentEnvironment.Value ?? CliEnvironment.Process;
        var json = parseResult.GetValue(CliOptions.Json);
        try
        {
            return await command.RunAsync(new CommandContext(parseResult, environment), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Each migration runs in its own transaction, so only the one in flight is undone; other commands only read
            // or write whole files, and saying "rolled back" after Ctrl+C on status would be untrue.
            return Fail(environment, json, new Failure(ExitCodes.Cancelled, command is MigrationRunCommand
                ? "Cancelled; the migration that was running has been rolled back, those finished before it stay applied."
                : "Cancelled."));
        }
        catch (Exception ex)
        {
            // Ours to explain, or a bug: either way one line and an exit code, never an unhandled exception (exit 134).
            if (Failure.From(ex) is null && environment.GetVariable(TraceVariable) is { Length: > 0 })
            {
                environment.Error.WriteLine(ex.ToString());
            }

            return Fail(environment, json, Failure.Of(ex));
        }
    }

    /// <summary>Set (to anything) to have an unexpected error print its stack trace.</summary>
    public const string TraceVariable = "SUPERSET_TRACE";

    private static int Fail(CliEnvironment environment, bool json, Failure failure)
    {
        environment.Error.WriteLine($"❌ ERROR: {failure.Message}");
        if (failure.Hint is not null)
        {
            environment.Error.WriteLine($"   {failure.Hint}");
        }

        if (json)
        {
            environment.Out.WriteLine(JsonSerializer.Serialize(new ErrorResult(failure.Message, failure.ExitCode), CliJson.Default.ErrorResult));
        }

        return failure.ExitCode;
    }

    private static string Overview() =>
        "Superset migrations: the seed's manage_migrations.sh, on .NET (FluentMigrator migrations, PostgreSQL).\n\n" +
        $"Database: {string.Join(", then ", ConnectionResolver.Variables)} (a postgresql:// URI or a connection string);\n" +
        "with none set, the local development database the AppHost provisions (.data/postgres), started on demand.\n\n" +
        "Exit codes: 0 done, 1 failed, 2 bad input, 3 behind (status, check), 4 refused by a safety check,\n" +
        "5 timed out waiting for the migration lock, 6 a lint error (lint, check), 130 interrupted.\n\n" +
        $"'{Name} <command> --help' shows a command's options; '{Name} completion bash' its shell completion.";
}
