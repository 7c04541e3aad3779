namespace Superset.MigrationWorker.Cli;

internal static class CommandLineApp
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine($"Unknown command '{args[0]}'.");
        return Task.FromResult(ExitCodes.Usage);
    }
}
