namespace Superset.MigrationWorker.Cli;

/// <summary>What a command sees of the world: its streams, variables and folder (tests give their own).</summary>
internal sealed record CliEnvironment(
    TextWriter Out,
    TextWriter Error,
    TextReader In,
    Func<string, string?> GetVariable,
    string CurrentDirectory,
    bool Interactive = false)
{
    public static CliEnvironment Process => new(
        Console.Out, Console.Error, Console.In, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(),
        Interactive: !Console.IsInputRedirected);
}
