using System.Collections;
using Microsoft.Extensions.Configuration;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Settings;

namespace Superset.MigrationWorker.Cli;

/// <summary>What a command sees of the world: its streams, variables and folder (tests give their own).</summary>
internal sealed record CliEnvironment(
    TextWriter Out,
    TextWriter Error,
    TextReader In,
    IReadOnlyDictionary<string, string?> Variables,
    string CurrentDirectory,
    bool Interactive = false)
{
    /// <summary>Set by manage_migrations.sh to its own checkout, so the script works from any folder.</summary>
    public const string CheckoutVariable = "SUPERSET_CHECKOUT";

    private IConfiguration? _configuration;

    public string? GetVariable(string name) => Variables.GetValueOrDefault(name);

    /// <summary>The variables as configuration (<c>Postgres__Port</c> is <c>Postgres:Port</c>): how settings are read.</summary>
    public IConfiguration Configuration => _configuration ??= SettingsReader.FromVariables(Variables);

    /// <summary>
    /// Where the checkout (its local server, backups/, migrations) is looked for: the current folder when it is inside
    /// one, else the checkout of the script that ran the command. Relative paths the user types still resolve
    /// against <see cref="CurrentDirectory"/>.
    /// </summary>
    public string CheckoutSearchStart =>
        Checkout.FindRoot(CurrentDirectory) is null && GetVariable(CheckoutVariable) is { Length: > 0 } scriptCheckout
            ? scriptCheckout
            : CurrentDirectory;

    public static CliEnvironment Process => new(
        Console.Out, Console.Error, Console.In,
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value),
        ProcessDirectory(),
        Interactive: !Console.IsInputRedirected);

    /// <summary>
    /// The process's folder; when it was removed under the shell (<c>getcwd</c> fails, and .NET throws), the path the
    /// shell still shows (<c>$PWD</c>): the command then finds its checkout as from any other folder outside one, where
    /// it used to end in an unhandled exception (exit 134).
    /// </summary>
    private static string ProcessDirectory()
    {
        try
        {
            return Directory.GetCurrentDirectory();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Environment.GetEnvironmentVariable("PWD") is { Length: > 0 } shown ? shown : Path.GetTempPath();
        }
    }
}
