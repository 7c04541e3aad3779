using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Npgsql;
using Superset.Migrations.Autogenerate;
using Superset.Migrations.Backup;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Migrations.Schema;

namespace Superset.MigrationWorker.Cli;

/// <summary>Everything a command needs, resolved on first use so that <c>--help</c> and bad input touch nothing.</summary>
internal sealed class CommandContext(ParseResult parseResult, CliEnvironment environment)
{
    private MigrationSource? _source;
    private DatabaseSchema? _models;
    private MigrationEngine? _engine;
    private ResolvedConnection? _connection;

    public CliEnvironment Environment { get; } = environment;

    /// <summary>The value an option was given (checked while parsing), or its default.</summary>
    public T? Value<T>(Option<T> option) => parseResult.GetValue(option);

    /// <summary>The value of a command's argument.</summary>
    public T? Value<T>(Argument<T> argument) => parseResult.GetValue(argument);

    public bool Json => Value(CliOptions.Json);

    public string? MigrationsDirectory => MigrationsLocation.Resolve(Value(CliOptions.MigrationsDirectory), Environment);

    public MigrationSource Source => _source ??= LoadSource();

    /// <summary>The schema the model classes describe (<c>--models-assembly</c>, else the app's Models folder).</summary>
    public DatabaseSchema Models => _models ??= LoadModels();

    public MigrationEngine Engine => _engine ??= new MigrationEngine(Source, new MigrationEngineOptions
    {
        Actor = MigrationEngineOptions.DefaultActor("command line"),
        LockWait = Value(CliOptions.LockWait) ?? MigrationEngineOptions.DefaultLockWait,
        LockTimeout = Value(CliOptions.LockTimeout) is { } lockTimeout
            ? lockTimeout == TimeSpan.Zero ? null : lockTimeout
            : MigrationEngineOptions.DefaultLockTimeout,
        StatementTimeout = Value(CliOptions.StatementTimeout),
    });

    /// <summary>Where backups go (<c>--backup-dir</c>, <c>SUPERSET_BACKUP_DIR</c>, else <c>backups/</c>) and how many are kept.</summary>
    public PgDumpBackup Backups => new(new BackupSettings(
        Value(CliOptions.BackupDirectory) is { } directory
            ? Path.GetFullPath(directory, Environment.CurrentDirectory)
            : Environment.GetVariable(BackupSettings.DirectoryVariable) ?? BackupSettings.DefaultDirectory(Environment.CheckoutSearchStart),
        Value(CliOptions.Keep) ?? BackupSettings.DefaultKeep));

    /// <summary>
    /// The backup a run takes before it changes anything (under the migration lock), unless <c>--no-backup</c>:
    /// nothing migrates without a backup unless the user said so.
    /// </summary>
    public BeforeApplying? BackupBeforeApplying(Action<BackupFile> taken)
    {
        if (Value(CliOptions.NoBackup))
        {
            Warn("⚠️  --no-backup: no backup is taken before these changes.");
            return null;
        }

        return async (connection, plan, _, cancellationToken) =>
        {
            if (await DatabaseContents.IsEmptyAsync(connection, cancellationToken))
            {
                Line($"💾 No backup: {DatabaseContents.NothingToBackUp}");
                return;
            }

            var database = (await ResolveConnectionAsync(cancellationToken)).ConnectionString;
            var backup = await Backups.TakeAsync(database, plan.Current?.Version, cancellationToken);
            taken(backup);
            Line($"💾 Backup: {backup.Path} ({Format.Size(backup.Size)}, verified)");
        };
    }

    /// <summary>The database to work on; says so on stderr when it is the local development database.</summary>
    public async Task<ResolvedConnection> ResolveConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            _connection = await ConnectionResolver.ResolveAsync(Environment.GetVariable, Environment.CheckoutSearchStart, cancellationToken);
            if (_connection.Notice is not null)
            {
                await Environment.Error.WriteLineAsync($"ℹ️  {_connection.Notice}");
            }
        }

        return _connection;
    }

    public async Task<string> DescribeDatabaseAsync(CancellationToken cancellationToken) =>
        DatabaseUri.Describe((await ResolveConnectionAsync(cancellationToken)).ConnectionString);

    /// <summary>Opens a connection to the database, with an application name that shows who holds locks.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var resolved = await ResolveConnectionAsync(cancellationToken);
        var builder = new NpgsqlConnectionStringBuilder(resolved.ConnectionString.ConnectionString)
        {
            ApplicationName = resolved.ConnectionString.ApplicationName ?? "superset-migrations",
            // One short-lived session per command: no pool to keep, and nothing left idle on the server.
            Pooling = false,
        };
        return await DatabaseConnector.OpenAsync(builder, cancellationToken: cancellationToken);
    }

    public void Line(string text = "")
    {
        if (!Json)
        {
            Environment.Out.WriteLine(text);
        }
    }

    public void Warn(string text) => Environment.Error.WriteLine(text);

    /// <summary>Writes the command's result: JSON with <c>--json</c>, else the human text.</summary>
    public void Report<T>(T result, JsonTypeInfo<T> typeInfo, Action human)
    {
        if (Json)
        {
            Environment.Out.WriteLine(JsonSerializer.Serialize(result, typeInfo));
        }
        else
        {
            human();
        }
    }

    /// <summary>What <c>--sql</c> prints: the script, exactly as the engine would run it.</summary>
    public int PrintSql(string sql)
    {
        Report(new SqlResult(sql), CliJson.Default.SqlResult, () => Environment.Out.Write(sql));
        return ExitCodes.Success;
    }

    /// <summary><c>--allow-breaking-changes</c>, else the worker's setting (the dashboard's commands run with its environment).</summary>
    public bool AllowBreakingChanges =>
        Value(CliOptions.AllowBreakingChanges) || bool.TryParse(Environment.GetVariable("Migrations__AllowBreakingChanges"), out var allowed) && allowed;

    /// <summary>The tags and profile asked for (<c>--tag</c>, <c>--profile</c>), else the worker's settings (<c>Migrations__Tags</c>, <c>Migrations__Profile</c>).</summary>
    public MigrationFilter Filter
    {
        get
        {
            var tags = Value(CliOptions.Tags) is { Length: > 0 } given
                ? given
                : (Environment.GetVariable("Migrations__Tags") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var profile = Value(CliOptions.Profile) ?? Environment.GetVariable("Migrations__Profile");
            return new MigrationFilter(tags, string.IsNullOrWhiteSpace(profile) ? null : profile.Trim());
        }
    }

    private MigrationSource LoadSource() =>
        (Value(CliOptions.MigrationsAssembly) is { } path ? MigrationSource.FromAssembly(LoadAssembly("migrations-assembly", path)) : MigrationSource.App)
        .WithFilter(Filter);

    private DatabaseSchema LoadModels()
    {
        try
        {
            return Value(CliOptions.ModelsAssembly) is { } path ? ModelReader.FromAssembly(LoadAssembly("models-assembly", path)) : ModelReader.App;
        }
        catch (InvalidModelException ex)
        {
            throw new UsageException($"The models describe no valid schema: {ex.Message}");
        }
    }

    private Assembly LoadAssembly(string option, string path)
    {
        var fullPath = Path.GetFullPath(path, Environment.CurrentDirectory);
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
