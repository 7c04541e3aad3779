using System.CommandLine;
using System.Text.RegularExpressions;
using Npgsql;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>restore &lt;file&gt;</c>: restores a backup into the configured database after a confirmation (or <c>--yes</c>),
/// or into a new database with <c>--into NAME</c>. The current database is renamed aside, never dropped.
/// </summary>
internal sealed partial class RestoreCommand : ICliCommand
{
    private readonly Argument<string> File = new("file")
    {
        Description = "The backup: a path, or a file name in the backups folder.",
    };

    private readonly Option<string?> Into = new("--into")
    {
        Description = "Restore into a new database of this name instead.",
        HelpName = "NAME",
    };

    private readonly Option<bool> Yes = new("--yes")
    {
        Description = "Do not ask for confirmation.",
    };

    private readonly Option<bool> OtherDatabase = new("--other-database")
    {
        Description = "Restore a backup of another database (its dump names it) in place of this one anyway.",
    };

    private readonly CliOptions _options;

    public RestoreCommand(CliOptions options)
    {
        _options = options;
        Command = new("restore", "Restore a backup into the database (after a confirmation), or into a new one with --into.")
        {
            File, Into, Yes, OtherDatabase, options.BackupDirectory,
        };
    }

    public Command Command { get; }

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var argument = context.Value(File)!;
        var file = System.IO.File.Exists(Path.GetFullPath(argument, context.Environment.CurrentDirectory)) || argument.Contains('/')
            ? Path.GetFullPath(argument, context.Environment.CurrentDirectory)
            : Path.Combine(context.Backups.Store.Settings.Directory, argument);
        if (!System.IO.File.Exists(file))
        {
            throw new UsageException($"No backup at {file} (see 'backups').");
        }

        var into = context.Value(Into);
        if (into is not null && !DatabaseName().IsMatch(into))
        {
            throw new UsageException($"--into takes a database name of letters, digits and _ (at most 63), not '{CliOptions.Shorten(into)}'.");
        }

        var configured = (await context.Database.ResolveAsync(cancellationToken)).ConnectionString;
        var target = new NpgsqlConnectionStringBuilder(configured.ConnectionString) { Database = into ?? configured.Database };
        if (into is null && !context.Value(Yes) && !await ConfirmAsync(context, file, target.Database!))
        {
            context.Output.Warn("Restore cancelled; nothing was changed.");
            return ExitCodes.Failed;
        }

        var result = await context.Backups.Store.RestoreAsync(file, target, intoNewDatabase: into is not null, context.Value(OtherDatabase), cancellationToken);
        context.Output.Report(new RestoreResultJson(file, result.Database, result.Version, result.Description, result.PreviousDatabaseKeptAs),
            static json => json.RestoreResultJson, () =>
            {
                context.Output.Line($"✅ Restored {Path.GetFileName(file)} into {result.Database}: schema version " +
                             (result.Version is null ? "none (no migrations applied)" : $"{result.Version} ({result.Description})"));
                if (result.PreviousDatabaseKeptAs is { } kept)
                {
                    context.Output.Line($"   The database it replaced is kept as {kept}: drop it when you no longer need it.");
                }
            });
        return ExitCodes.Success;
    }

    private static async Task<bool> ConfirmAsync(CommandContext context, string file, string database)
    {
        if (!context.Environment.Interactive)
        {
            throw new UsageException($"restore replaces database {database}: confirm with --yes (or restore into a new database with --into).");
        }

        await context.Environment.Out.WriteAsync($"Restore {Path.GetFileName(file)} into {database}? It replaces the database (the current one is kept aside). Type yes: ");
        return (await context.Environment.In.ReadLineAsync())?.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase) == true;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
