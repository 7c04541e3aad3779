using System.CommandLine;
using System.Reflection;
using Superset.Migrations.Autogenerate;
using Superset.Migrations.Engine;
using Superset.Migrations.Schema;
using Superset.Migrations.Settings;

namespace Superset.MigrationWorker.Cli;

/// <summary>
/// The migrations a command works with: the app's (or <c>--migrations-assembly</c>), narrowed by <c>--tag</c> and
/// <c>--profile</c> (else the worker's settings, whose environment the dashboard's commands run in), the models, and the
/// engine with this run's timeouts. Each is made once per run, on first use, so that <c>--help</c> and bad input load nothing.
/// </summary>
internal sealed class CliMigrations(ParseResult parseResult, CliOptions options, CliEnvironment environment)
{
    private MigrationsSettings? _settings;
    private MigrationSource? _source;
    private DatabaseSchema? _models;
    private MigrationEngine? _engine;

    /// <summary>The worker's <c>Migrations</c> settings, read from the environment (the defaults outside the dashboard).</summary>
    public MigrationsSettings Settings => _settings ??= SettingsReader.Read<MigrationsSettings>(environment.Configuration, MigrationsSettings.Section);

    /// <summary>Where migration source files live (<c>create</c> writes there, <c>status</c> says so); null outside a checkout.</summary>
    public string? Directory => MigrationsLocation.Resolve(parseResult.GetValue(options.MigrationsDirectory), environment);

    /// <summary><c>--allow-breaking-changes</c>, else <c>Migrations:AllowBreakingChanges</c>.</summary>
    public bool AllowBreakingChanges => parseResult.GetValue(options.AllowBreakingChanges) || Settings.AllowBreakingChanges;

    /// <summary>The tags and profile asked for (<c>--tag</c>, <c>--profile</c>), else <c>Migrations:Tags</c> and <c>Migrations:Profile</c>.</summary>
    public MigrationFilter Filter
    {
        get
        {
            var configured = Settings.Filter;
            var tags = parseResult.GetValue(options.Tags) is { Length: > 0 } given ? given : configured.Tags;
            return new MigrationFilter(tags, parseResult.GetValue(options.Profile) is { Length: > 0 } profile ? profile : configured.Profile);
        }
    }

    public MigrationSource Source => _source ??=
        (parseResult.GetValue(options.MigrationsAssembly) is { } path ? MigrationSource.FromAssembly(LoadAssembly("migrations-assembly", path)) : MigrationSource.App)
        .WithFilter(Filter);

    /// <summary>The schema the model classes describe (<c>--models-assembly</c>, else the app's Models folder).</summary>
    public DatabaseSchema Models => _models ??= LoadModels();

    /// <summary>The team's lint settings (<c>Lint__Rules__&lt;id&gt;</c>, <c>Lint__StartAfter</c>) from the environment.</summary>
    public Superset.Migrations.Lint.LintPolicy LintPolicy => SettingsReader.Read<LintSettings>(environment.Configuration, LintSettings.Section).Policy;

    public MigrationEngine Engine => _engine ??= new MigrationEngine(Source, new MigrationEngineOptions
    {
        Actor = MigrationEngineOptions.DefaultActor("command line"),
        LockWait = parseResult.GetValue(options.LockWait) ?? MigrationEngineOptions.DefaultLockWait,
        LockTimeout = parseResult.GetValue(options.LockTimeout) is { } lockTimeout
            ? lockTimeout == TimeSpan.Zero ? null : lockTimeout
            : Settings.LockTimeoutOrNone,
        LockRetryBudget = parseResult.GetValue(options.LockRetryBudget) ?? Settings.LockRetryBudgetTime,
        StatementTimeout = parseResult.GetValue(options.StatementTimeout),
    });

    private DatabaseSchema LoadModels()
    {
        try
        {
            return parseResult.GetValue(options.ModelsAssembly) is { } path ? ModelReader.FromAssembly(LoadAssembly("models-assembly", path)) : ModelReader.App;
        }
        catch (InvalidModelException ex)
        {
            throw new UsageException($"The models describe no valid schema: {ex.Message}");
        }
    }

    private Assembly LoadAssembly(string option, string path)
    {
        var fullPath = Path.GetFullPath(path, environment.CurrentDirectory);
        if (!File.Exists(fullPath))
        {
            throw new UsageException($"--{option}: no file at {fullPath}.");
        }

        try
        {
            return Assembly.LoadFrom(fullPath);
        }
        catch (BadImageFormatException)
        {
            throw new UsageException($"--{option}: {fullPath} is not a .NET assembly.");
        }
    }
}
