using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Superset.Migrations.Settings;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli;

/// <summary>
/// Every option of the command line, one typed <see cref="Option{T}"/> each, shared by the commands that take it; the
/// global ones are recursive (given to the root, accepted by every command). A bad value is refused while parsing,
/// with a message that says what was expected: every command sees checked values only. One set per command tree, and
/// one tree per run: options remember the commands they belong to.
/// </summary>
internal sealed class CliOptions
{
    public readonly Option<bool> Json = new("--json")
    {
        Description = "Print the result as JSON, for scripts and CI.",
        Recursive = true,
    };

    public readonly Option<string?> MigrationsAssembly = new("--migrations-assembly")
    {
        Description = "Read migrations from this assembly instead of the app's own.",
        HelpName = "PATH",
        Recursive = true,
    };

    public readonly Option<string?> MigrationsDirectory = new("--migrations-dir")
    {
        Description = "Where the migration source files are (default: Superset.Migrations/Migrations).",
        HelpName = "DIR",
        Recursive = true,
    };

    public readonly Option<string[]> Tags = new("--tag")
    {
        Description = "Run the migrations tagged so (repeatable; FluentMigrator's [Tags] rules) besides the untagged ones (default: Migrations__Tags).",
        HelpName = "TAG",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public readonly Option<string?> Profile = new("--profile")
    {
        Description = "Run this profile's [Profile(\"NAME\")] migrations after each upgrade (default: Migrations__Profile).",
        HelpName = "NAME",
        Recursive = true,
    };

    public readonly Option<bool> AllowBreakingChanges = new("--allow-breaking-changes")
    {
        Description = "Apply migrations marked BreakingChange, which are refused otherwise (default: Migrations__AllowBreakingChanges).",
    };

    public readonly Option<TimeSpan?> LockWait = Seconds(
        "--lock-wait",
        $"How long to wait for another runner's migration lock (default {MigrationEngineOptions.DefaultLockWait.TotalSeconds:0}).",
        recursive: true);

    public readonly Option<TimeSpan?> LockTimeout = Seconds(
        "--lock-timeout",
        $"PostgreSQL lock_timeout for migration statements, per attempt: give up a lock request in a moment and try again, instead of queueing the app behind it (default {MigrationEngineOptions.DefaultLockTimeout.TotalSeconds:0.##}; 0: none, wait as long as it takes).");

    public readonly Option<TimeSpan?> LockRetryBudget = Seconds(
        "--lock-retry-budget",
        $"How long a migration keeps trying to get its locks, attempts and pauses together (default {MigrationEngineOptions.DefaultLockRetryBudget.TotalSeconds:0}).");

    public readonly Option<TimeSpan?> StatementTimeout = Seconds("--statement-timeout", "PostgreSQL statement_timeout for migration statements.");

    public readonly Option<bool> Sql = new("--sql")
    {
        Description = "Print the exact SQL that would run, including the version-table writes; touch nothing.",
    };

    public readonly Option<bool> AllowChanged = new("--allow-changed")
    {
        Description = "Accept applied migrations that were edited since (recorded in migrations.events).",
    };

    public readonly Option<long?> UpgradeTarget = new("--target")
    {
        Description = "Apply pending migrations up to and including this version.",
        HelpName = "VERSION",
        CustomParser = result => ParseVersion(result, "--target"),
        CompletionSources = { _ => KnownVersions() },
    };

    /// <summary>A version, or <c>base</c> (0): revert everything.</summary>
    public readonly Option<long?> DowngradeTarget = new("--target")
    {
        Description = "Revert every applied migration above this version ('base': revert them all).",
        HelpName = "VERSION|base",
        CustomParser = result => result.Tokens.Single().Value == "base" ? 0 : ParseVersion(result, "--target"),
        CompletionSources = { _ => ["base", .. KnownVersions()] },
    };

    public readonly Option<int?> Steps = new("--steps")
    {
        Description = "Revert the last N applied migrations (default 1).",
        HelpName = "N",
        CustomParser = result => ParseWholeNumber(result, "--steps", min: 1),
    };

    public readonly Option<bool> Unknown = new("--unknown")
    {
        Description = "Revert the applied migrations this code does not know (another branch's), from the Down() SQL stored when they ran.",
    };

    public readonly Option<bool> Force = new("--force")
    {
        Description = "Do it even though the database is not a local development one (another host, or an environment other than Development).",
    };

    public readonly Option<string> Dataset = new("--dataset")
    {
        Description = "The development seed dataset (default: default).",
        HelpName = "NAME",
        DefaultValueFactory = _ => Superset.Migrations.Seeding.SeedCatalog.DefaultDataset,
    };

    public readonly Option<bool> NoBackup = new("--no-backup")
    {
        Description = "Do not take a backup first (you said so: the default is to take one).",
    };

    public readonly Option<string?> BackupDirectory = new("--backup-dir")
    {
        Description = $"Where backups go (default: {BackupSettings.DirectoryVariable}, else Backup__Directory, else backups/ in the checkout).",
        HelpName = "DIR",
    };

    public readonly Option<int?> Keep = new("--keep")
    {
        Description = $"How many backups of the database to keep (default {BackupSettings.DefaultKeep}).",
        HelpName = "N",
        CustomParser = result => ParseWholeNumber(result, "--keep", min: 1),
    };

    public readonly Option<string?> ModelsAssembly = new("--models-assembly")
    {
        Description = "Read the models from this assembly instead of the app's Models folder.",
        HelpName = "PATH",
    };

    /// <summary>The options every command of a run (upgrade, merge, downgrade) takes for its backup.</summary>
    public IEnumerable<Option> BackupFirst => [NoBackup, BackupDirectory, Keep];

    /// <summary>A migration version: digits only, as FluentMigrator versions are.</summary>
    public static long? ParseVersion(ArgumentResult result, string what) =>
        TryParseVersion(result.Tokens.Single().Value) is { } version
            ? version
            : Error<long?>(result, $"{what} must be a migration version such as 20261124120000, not '{Shorten(result.Tokens.Single().Value)}'.");

    public static long? TryParseVersion(string value) =>
        value.Length is > 0 and <= 18 && value.All(char.IsAsciiDigit) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : null;

    /// <summary>What Tab offers after --target: the versions of this build's migrations, newest first.</summary>
    private static IEnumerable<string> KnownVersions() =>
        MigrationSource.App.Migrations.Reverse().Select(m => m.Version.ToString(CultureInfo.InvariantCulture));

    /// <summary>User input echoed in an error stays on one short line.</summary>
    public static string Shorten(string value)
    {
        var oneLine = new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return oneLine.Length <= 60 ? oneLine : oneLine[..57] + "...";
    }

    private static Option<TimeSpan?> Seconds(string name, string description, bool recursive = false) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        Recursive = recursive,
        CustomParser = result =>
        {
            var value = result.Tokens.Single().Value;
            var text = value.EndsWith('s') ? value[..^1] : value;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is not (>= 0 and <= 86_400))
            {
                return Error<TimeSpan?>(result, $"{name} takes a number of seconds (such as 30 or 2.5), not '{Shorten(value)}'.");
            }

            // PostgreSQL counts timeouts in whole milliseconds, and reads 0 as "none": a shorter one cannot be given.
            return seconds is > 0 and < 0.001
                ? Error<TimeSpan?>(result, $"{name} {Shorten(value)} is shorter than PostgreSQL's 1 ms resolution: give 0 (none) or at least 0.001.")
                : TimeSpan.FromSeconds(seconds);
        },
    };

    private static int? ParseWholeNumber(ArgumentResult result, string name, int min)
    {
        var value = result.Tokens.Single().Value;
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min
            ? number
            : Error<int?>(result, $"{name} takes a whole number of at least {min}, not '{Shorten(value)}'.");
    }

    private static T Error<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }
}
