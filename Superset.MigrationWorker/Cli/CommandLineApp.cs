using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Superset.MigrationWorker.Cli.Answers;
using Superset.MigrationWorker.Cli.Commands;
using Superset.Migrations.Connection;
using Superset.Migrations.Outcomes;

namespace Superset.MigrationWorker.Cli;

/// <summary>
/// The command line behind <c>scripts/manage_migrations.sh</c>: the seed's commands and output, on the engine, parsed by
/// System.CommandLine (typed options, generated help, completions; Ctrl+C and SIGTERM cancel the running command).
/// Every failure is one line on stderr and an exit code (see <see cref="ExitCodes"/>): a parse error is checked before
/// anything runs, and exits 2; nothing is touched before the input has been checked. A command tree is built for each
/// run, with the world it runs in (<see cref="CliEnvironment"/>).
/// </summary>
internal sealed class CommandLineApp
{
    public const string Name = "manage_migrations.sh";

    /// <summary>Set (to anything) to have an unexpected error print its stack trace.</summary>
    public const string TraceVariable = "SUPERSET_TRACE";

    /// <summary>After a Ctrl+C or SIGTERM, how long a command may take to roll back and say so before the process ends.</summary>
    private static readonly TimeSpan TerminationTimeout = TimeSpan.FromSeconds(10);

    private readonly CliEnvironment _environment;

    /// <summary>A command line for one run: its own command tree (options remember the commands they belong to) and world.</summary>
    public CommandLineApp(CliEnvironment environment)
    {
        _environment = environment;
        Options = new CliOptions();
        Root = BuildRoot();
    }

    public CliOptions Options { get; }

    public Command Root { get; }

    /// <summary>The program's entry: the process's streams and variables, Ctrl+C and SIGTERM.</summary>
    public static async Task<int> RunAsync(string[] arguments)
    {
        Console.OutputEncoding = Encoding.UTF8;
        using var telemetry = CliTelemetry.ExportIfConfigured();

        // A closed terminal (SIGHUP) ends a command as SIGTERM does: cancelled, what was in flight rolled back and said.
        using var hangUp = new CancellationTokenSource();
        using var onHangUp = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true;
            hangUp.Cancel();
        });
        return await new CommandLineApp(CliEnvironment.Process).RunAsync(arguments, hangUp.Token, TerminationTimeout);
    }

    /// <summary>A run in process (tests): no signal handlers; the caller's token cancels.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> arguments, CliEnvironment environment, CancellationToken cancellationToken) =>
        new CommandLineApp(environment).RunAsync(arguments, cancellationToken, terminationTimeout: null);

    /// <param name="terminationTimeout">Null in process (tests): no signal handlers; the caller's token cancels.</param>
    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, TimeSpan? terminationTimeout)
    {
        // No command, or the seed's "help": the overview.
        if (arguments.Count == 0 || arguments[0] == "help")
        {
            arguments = [.. arguments.Skip(1), "--help"];
        }

        var result = Root.Parse(arguments);
        if (result.Errors.Count > 0 && result.Action is not HelpAction)
        {
            return Fail(arguments.Contains("--json"), new Failure(ExitCodes.Usage, ParseErrors.Describe(result, Root)));
        }

        return await result.InvokeAsync(new InvocationConfiguration
        {
            Output = _environment.Out,
            Error = _environment.Error,
            ProcessTerminationTimeout = terminationTimeout,
            EnableDefaultExceptionHandler = false,
        }, cancellationToken);
    }

    private Command BuildRoot()
    {
        var root = new Command(Name, Overview())
        {
            new HelpOption(),
            Options.Json,
            Options.MigrationsAssembly,
            Options.MigrationsDirectory,
            Options.Tags,
            Options.Profile,
            Options.LockWait,
        };
        ICliCommand[] commands =
        [
            new InitCommand(),
            new CreateCommand(Options),
            new UpgradeCommand(Options),
            new DowngradeCommand(Options),
            new StatusCommand(),
            new CurrentCommand(),
            new HistoryCommand(),
            new HeadsCommand(),
            new MergeCommand(Options),
            new StampCommand(),
            new AdoptCommand(),
            new CheckCommand(Options),
            new LintCommand(),
            new BackupCommand(Options),
            new BackupsCommand(Options),
            new RestoreCommand(Options),
            new SnapshotCommand(Options),
            new ResetCommand(Options),
            new SeedCommand(Options),
            new ServerCommand(),
            new CompletionCommand(),
        ];
        foreach (var command in commands)
        {
            command.Command.SetAction((parseResult, cancellationToken) => RunCommandAsync(command, parseResult, cancellationToken));
            root.Subcommands.Add(command.Command);
        }

        return root;
    }

    /// <summary>One table from exception to line and exit code, the same as the worker's (<see cref="Failure"/>).</summary>
    private async Task<int> RunCommandAsync(ICliCommand command, ParseResult parseResult, CancellationToken cancellationToken)
    {
        var json = parseResult.GetValue(Options.Json);
        try
        {
            var answer = AnswerRecorder.For(command, _environment);
            var exitCode = await command.RunAsync(
                new CommandContext(parseResult, Options, answer?.Recording(_environment) ?? _environment, answer), cancellationToken);
            answer?.Finished(exitCode);
            return exitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Each migration runs in its own transaction, so only the one in flight is undone; other commands only read
            // or write whole files, and saying "rolled back" after Ctrl+C on status would be untrue.
            return Fail(json, new Failure(ExitCodes.Cancelled, command is IMigrationRunCommand
                ? "Cancelled; the migration that was running has been rolled back, those finished before it stay applied."
                : "Cancelled."));
        }
        catch (Exception ex)
        {
            // Ours to explain, or a bug: either way one line and an exit code, never an unhandled exception (exit 134).
            if (Failure.From(ex) is null && _environment.GetVariable(TraceVariable) is { Length: > 0 })
            {
                _environment.Error.WriteLine(ex.ToString());
            }

            return Fail(json, Failure.Of(ex));
        }
    }

    private int Fail(bool json, Failure failure)
    {
        TryWrite(_environment.Error, $"❌ ERROR: {failure.Message}");
        if (failure.Hint is not null)
        {
            TryWrite(_environment.Error, $"   {failure.Hint}");
        }

        // The output itself may be what failed (a full disk under "--json > file"): the line above said it already.
        if (json && !TryWrite(_environment.Out, JsonSerializer.Serialize(new ErrorResult(failure.Message, failure.ExitCode), CliJson.Default.ErrorResult)))
        {
            return failure.ExitCode == ExitCodes.Success ? ExitCodes.Failed : failure.ExitCode;
        }

        return failure.ExitCode;
    }

    private static bool TryWrite(TextWriter writer, string line)
    {
        try
        {
            writer.WriteLine(line);
            writer.Flush();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string Overview() =>
        "Superset migrations: the seed's manage_migrations.sh, on .NET (FluentMigrator migrations, PostgreSQL).\n\n" +
        $"Database: {string.Join(", then ", ConnectionResolver.Variables)} (a postgresql:// URI or a connection string);\n" +
        "with none set, the local development database the AppHost provisions (.data/postgres), started on demand.\n\n" +
        "Exit codes: 0 done, 1 failed, 2 bad input, 3 behind (status, check), 4 refused by a safety check,\n" +
        "5 timed out waiting for the migration lock, 6 a lint error (lint, check), 130 interrupted.\n\n" +
        $"'{Name} <command> --help' shows a command's options; '{Name} completion bash' its shell completion.";
}
