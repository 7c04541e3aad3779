using System.CommandLine;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli;

/// <summary>One command of the command line (a file each, under Commands/): its name, arguments and options, and what it does.</summary>
internal interface ICliCommand
{
    /// <summary>The command as System.CommandLine parses it and prints its help.</summary>
    Command Command { get; }

    Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken);
}

/// <summary>Bad command-line input found after parsing (a file that is not there, options that exclude each other): exit code 2.</summary>
internal sealed class UsageException(string message) : MigrationException(MigrationErrorKind.InvalidInput, message);
