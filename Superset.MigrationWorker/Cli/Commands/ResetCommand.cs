using System.CommandLine;
using Superset.Migrations.Backup;
using Superset.Migrations.DeveloperDatabase;
using Superset.Migrations.Seeding;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>reset</c>: the development database dropped and made again, migrated to head and seeded, after a backup (unless
/// <c>--no-backup</c>). Refused outside local development unless <c>--force</c>; a forced reset outside Development adds
/// no seed data.
/// </summary>
internal sealed class ResetCommand : ICliCommand
{
    private readonly Option<bool> NoSeed = new("--no-seed")
    {
        Description = "Leave the new database without seed data.",
    };

    private readonly CliOptions options;

    public ResetCommand(CliOptions options)
    {
        this.options = options;
        Command = new("reset", "Drop the development database and make it again: migrated to head and seeded, after a backup.")
        {
            options.Dataset, NoSeed, options.Force, options.NoBackup, options.BackupDirectory, options.Keep,
        };
    }

    public Command Command { get; }

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var engine = context.Migrations.Engine;
        var catalog = SeedCatalog.Of(engine.Source);
        var dataset = context.Value(options.Dataset)!;
        catalog.Require(dataset);

        var force = context.Value(options.Force);
        await context.Database.RequireLocalDevelopmentAsync("reset", force, cancellationToken);
        var resolved = await context.Database.ResolveAsync(cancellationToken);
        var database = resolved.ConnectionString;
        var seed = context.Value(NoSeed) ? null
            : LocalDevelopment.WhyNot(context.Environment.GetVariable, database) is { } why ? SkipSeeding(context, why)
            : dataset;

        var backup = await BackUpAsync(context, cancellationToken);
        context.Output.Line($"🧹 Resetting {await context.Database.DescribeAsync(cancellationToken)}: dropped, made again, migrated{(seed is null ? "" : " and seeded")}");
        var result = await DatabaseReset.ResetAsync(database, engine, seed, backup, new ConsoleMigrationObserver(context), cancellationToken);

        var json = new ResetResultJson(result.Database, result.Backup, result.Applied, result.Version,
            result.Seeded is null ? null : SeedCommand.Result(result.Database, result.Seeded));
        context.Output.Report(json, static json => json.ResetResultJson, () =>
        {
            context.Output.Line($"✅ {result.Database} is new: {result.Applied} migration(s) applied, at {result.Version?.ToString() ?? "an empty schema"}");
            if (result.Seeded is { } seeded)
            {
                context.Output.Line($"🌱 {seeded.Describe()}");
            }
        });
        return ExitCodes.Success;
    }

    private static string? SkipSeeding(CommandContext context, string why)
    {
        context.Output.Warn($"⚠️  No seed data: it is for local development, and {why}.");
        return null;
    }

    /// <summary>The backup of what is about to be dropped, unless --no-backup; none of a database that holds nothing (or is not there).</summary>
    private async Task<string?> BackUpAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Value(options.NoBackup))
        {
            context.Output.Warn("⚠️  --no-backup: the database is dropped without a backup.");
            return null;
        }

        await using var connection = await context.Database.OpenAsync(cancellationToken);
        if (await DatabaseContents.IsEmptyAsync(connection, cancellationToken))
        {
            context.Output.Line($"💾 No backup: {DatabaseContents.NothingToBackUp}");
            return null;
        }

        var plan = await context.Migrations.Engine.PlanAsync(connection, cancellationToken);
        var backup = await context.Backups.Store.TakeAsync((await context.Database.ResolveAsync(cancellationToken)).ConnectionString, plan.Current?.Version, cancellationToken);
        context.Output.Line($"💾 Backup: {backup.Path} ({Format.Size(backup.Size)}, verified)");
        return backup.Path;
    }
}
