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
    /// <summary>Set by manage_migrations.sh to its own checkout, so the script works from any folder.</summary>
    public const string CheckoutVariable = "SUPERSET_CHECKOUT";

    /// <summary>
    /// Where the checkout (its local server, backups/, migrations) is looked for: the current folder when it is inside
    /// one, else the checkout of the script that ran the command. Relative paths the user types still resolve
    /// against <see cref="CurrentDirectory"/>.
    /// </summary>
    public string CheckoutSearchStart =>
        Superset.Migrations.LocalServer.LocalDevelopmentDatabase.FindRepositoryRoot(CurrentDirectory) is null
        && GetVariable(CheckoutVariable) is { Length: > 0 } scriptCheckout
            ? scriptCheckout
            : CurrentDirectory;

    public static CliEnvironment Process => new(
        Console.Out, Console.Error, Console.In, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(),
        Interactive: !Console.IsInputRedirected);
}
