using System.Text.Json;
using Superset.MigrationWorker.Cli;
using Superset.Migrations.Tools;
using Superset.Tests.Shared;

namespace Superset.Tests.Cli;

/// <summary>What one run of the command line did.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the real command line against a test database: in process (the same code path as the program, with its
/// own streams and variables), or as a real process of the built program for what only a process shows.
/// </summary>
public sealed class CliRunner(string databaseUri, string? migrationsAssembly = null, string? migrationsDirectory = null)
{
    public static CliRunner For(TestDatabase database, string? migrationsAssembly = null, string? migrationsDirectory = null)
    {
        var builder = database.Server.ConnectionString(database.Name);
        var uri = $"postgresql://{Uri.EscapeDataString(builder.Username!)}:{Uri.EscapeDataString(builder.Password!)}@{builder.Host}:{builder.Port}/{builder.Database}";
        return new CliRunner(uri, migrationsAssembly, migrationsDirectory);
    }

    public Dictionary<string, string> Variables { get; } = new();

    /// <summary>The database every command is given, as <c>SQLALCHEMY_DATABASE_URI</c>.</summary>
    public string DatabaseUri => databaseUri;

    /// <summary>The <c>--migrations-assembly</c> every command is given; null for the app's own migrations.</summary>
    public string? MigrationsAssembly => migrationsAssembly;

    /// <summary>Where backups go unless a test says otherwise: a folder of this runner's, never the checkout's backups/.</summary>
    public string BackupDirectory { get; } = TestPaths.NewTempDirectory("cli-backups");

    /// <summary>Where <see cref="RunProcessAsync(IReadOnlyDictionary{string, string?}, string[])"/> starts the program.</summary>
    public string WorkingDirectory { get; init; } = TestPaths.RepositoryRoot;

    public Task<CliResult> RunAsync(params string[] arguments) => RunAsync(CancellationToken.None, arguments);

    /// <summary>The same, cancelled (as by Ctrl+C or SIGTERM) when <paramref name="cancellationToken"/> is.</summary>
    public async Task<CliResult> RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var variables = Variables.ToDictionary(v => v.Key, string? (v) => v.Value);
        variables["SQLALCHEMY_DATABASE_URI"] = databaseUri;
        variables.TryAdd(Superset.Migrations.Settings.BackupSettings.DirectoryVariable, BackupDirectory);
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new CliEnvironment(output, error, new StringReader(string.Empty), variables, TestPaths.RepositoryRoot);
        var exitCode = await CommandLineApp.RunAsync(WithSource(arguments), environment, cancellationToken);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs the built program as its own process, with only the variables given (and none of the database's it would inherit).</summary>
    public Task<CliResult> RunProcessAsync(IReadOnlyDictionary<string, string?> variables, params string[] arguments) =>
        RunAsync([Path.Combine(AppContext.BaseDirectory, "Superset.MigrationWorker.dll"), .. WithSource(arguments)], variables);

    /// <summary>
    /// The same through the quick front of status and current (as scripts/manage_migrations.sh runs them), built here as an
    /// ordinary assembly: the same code as its native build, started the slow way.
    /// </summary>
    public Task<CliResult> RunQuickAsync(IReadOnlyDictionary<string, string?> variables, params string[] arguments) =>
        RunAsync([Path.Combine(AppContext.BaseDirectory, "manage-migrations-quick.dll"), Path.Combine(AppContext.BaseDirectory, "Superset.MigrationWorker.dll"),
            .. WithSource(arguments)], variables);

    private async Task<CliResult> RunAsync(string[] dotnetArguments, IReadOnlyDictionary<string, string?> variables)
    {
        var environment = new Dictionary<string, string?>
        {
            ["SUPERSET__SQLALCHEMY_DATABASE_URI"] = null,
            ["SQLALCHEMY_DATABASE_URI"] = null,
            ["ConnectionStrings__superset"] = null,
            [Superset.Migrations.Settings.BackupSettings.DirectoryVariable] = BackupDirectory,
        };
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        var result = await ToolRunner.RunAsync("dotnet", dotnetArguments, environment, WorkingDirectory);
        return new CliResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    public Task<CliResult> RunProcessAsync(params string[] arguments) =>
        RunProcessAsync(new Dictionary<string, string?> { ["SQLALCHEMY_DATABASE_URI"] = databaseUri }, arguments);

    private string[] WithSource(string[] arguments)
    {
        var extra = new List<string>();
        if (arguments.Length > 0 && migrationsAssembly is not null)
        {
            extra.AddRange(["--migrations-assembly", migrationsAssembly]);
        }

        if (arguments.Length > 0 && migrationsDirectory is not null)
        {
            extra.AddRange(["--migrations-dir", migrationsDirectory]);
        }

        return [.. arguments, .. extra];
    }
}
