namespace Superset.MigrationWorker.Cli;

/// <summary>One command of the command line (a file each, under Commands/).</summary>
internal interface ICommand
{
    CommandSpec Spec { get; }

    Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken);
}
