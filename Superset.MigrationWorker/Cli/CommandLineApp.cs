using System.Text;
using System.Text.Json;
using Npgsql;
using Superset.MigrationWorker.Cli.Commands;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli;

/// <summary>
/// The command line behind <c>scripts/manage_migrations.sh</c>: the seed's commands and output, on the engine.
/// Every failure is one line on stderr and an exit code (see <see cref="ExitCodes"/>); nothing is touched before
/// the input has been checked.
/// </summary>
internal static class CommandLineApp
{
    private static readonly ICommand[] Commands =
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
        new CheckCommand(),
        new BackupCommand(),
        new BackupsCommand(),
        new RestoreCommand(),
        new ServerCommand(),
    ];

    public static async Task<int> RunAsync(string[] arguments)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C cancels cleanly (a running migration rolls back); a second one kills.
            e.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };
        Console.OutputEncoding = Encoding.UTF8;
        using var telemetry = CliTelemetry.ExportIfConfigured();
        return await RunAsync(arguments, CliEnvironment.Process, cancellation.Token);
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments, CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (arguments.Count == 0 || arguments[0] is "help" or "--help" or "-h")
        {
            await environment.Out.WriteAsync(Overview());
            return ExitCodes.Success;
        }

        var command = Commands.FirstOrDefault(c => c.Spec.Name == arguments[0]);
        if (command is null)
        {
            return Fail(environment, json: arguments.Contains("--json"), ExitCodes.Usage,
                $"Unknown command '{ParsedArguments.Shorten(arguments[0])}'. Commands: {string.Join(", ", Commands.Select(c => c.Spec.Name))} (see --help).");
        }

        var json = arguments.Contains("--json");
        try
        {
            var parsed = ParsedArguments.Parse(command.Spec, arguments.Skip(1).ToArray());
            if (parsed.Has("help"))
            {
                await environment.Out.WriteAsync(command.Spec.HelpText());
                return ExitCodes.Success;
            }

            return await command.RunAsync(new CommandContext(parsed, environment), cancellationToken);
        }
        catch (UsageException ex)
        {
            return Fail(environment, json, ExitCodes.Usage, ex.Message);
        }
        catch (SqliteNotSupportedException ex)
        {
            // The seed's words and exit code.
            return Fail(environment, json, ExitCodes.Failed, ex.Message, SqliteNotSupportedException.Hint);
        }
        catch (InvalidConnectionException ex)
        {
            return Fail(environment, json, ExitCodes.Usage, ex.Message);
        }
        catch (Superset.Migrations.LocalServer.LocalServerException ex)
        {
            return Fail(environment, json, ExitCodes.Failed, ex.Message);
        }
        catch (MigrationException ex)
        {
            return Fail(environment, json, ExitCodes.For(ex.Kind), ex.Message);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return Fail(environment, json, ExitCodes.Failed, $"{ex.MessageText}: run 'init' to create it.");
        }
        catch (PostgresException ex)
        {
            return Fail(environment, json, ExitCodes.Failed, $"PostgreSQL said {ex.SqlState}: {ex.MessageText}");
        }
        catch (NpgsqlException ex)
        {
            return Fail(environment, json, ExitCodes.Failed, $"Cannot reach the database: {ex.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(environment, json, 130, "Cancelled; a migration that was running has been rolled back.");
        }
        catch (DynamicMigrationException ex)
        {
            return Fail(environment, json, ExitCodes.Usage, ex.Message);
        }
        catch (IOException ex)
        {
            return Fail(environment, json, ExitCodes.Failed, ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            return Fail(environment, json, ExitCodes.Failed, ex.Message);
        }
    }

    private static int Fail(CliEnvironment environment, bool json, int exitCode, string message, string? hint = null)
    {
        environment.Error.WriteLine($"❌ ERROR: {message}");
        if (hint is not null)
        {
            environment.Error.WriteLine($"   {hint}");
        }

        if (json)
        {
            environment.Out.WriteLine(JsonSerializer.Serialize(new ErrorResult(message, exitCode), CliJson.Default.ErrorResult));
        }

        return exitCode;
    }

    private static string Overview()
    {
        var text = new StringBuilder();
        text.AppendLine("Superset migrations: the seed's manage_migrations.sh, on .NET (FluentMigrator migrations, PostgreSQL).");
        text.AppendLine();
        text.AppendLine("Usage: scripts/manage_migrations.sh <command> [options]");
        text.AppendLine();
        text.AppendLine("Commands:");
        foreach (var command in Commands)
        {
            text.AppendLine($"  {command.Spec.Name,-10} {command.Spec.Summary}");
        }

        text.AppendLine();
        text.AppendLine($"Database: {string.Join(", then ", ConnectionResolver.Variables)} (a postgresql:// URI or a");
        text.AppendLine("connection string); with none set, the local development database the AppHost provisions (.data/postgres),");
        text.AppendLine("started on demand.");
        text.AppendLine();
        text.AppendLine("Exit codes: 0 done, 1 failed, 2 bad input, 3 behind (status, check), 4 refused by a safety check,");
        text.AppendLine("5 timed out waiting for the migration lock.");
        text.AppendLine();
        text.AppendLine("'manage_migrations.sh <command> --help' shows a command's options.");
        return text.ToString();
    }
}
