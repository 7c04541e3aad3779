using System.CommandLine;
using Superset.Migrations.DeveloperDatabase;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>snapshot list|save|restore|delete [NAME]</c>: copies of the database on the same server, taken and put back in
/// seconds (<see cref="DatabaseSnapshots"/>). A restore keeps what it replaces as the snapshot <c>before-restore</c>, and
/// is for a local development database unless <c>--force</c>.
/// </summary>
internal sealed class SnapshotCommand : ICliCommand
{
    private readonly Argument<string> Action = new Argument<string>("action")
    {
        Description = "list (the default), save NAME, restore NAME, delete NAME.",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => "list",
    }.AcceptOnlyFromAmong("list", "save", "restore", "delete");

    private readonly Argument<string?> Name = new("name")
    {
        Description = "The snapshot: a letter or digit, then letters, digits, - and _.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<bool> Replace = new("--replace")
    {
        Description = "save: replace a snapshot of that name.",
    };

    private readonly CliOptions _options;

    public SnapshotCommand(CliOptions options)
    {
        _options = options;
        Command = new("snapshot", "Snapshots of the database on the same server: list, save NAME, restore NAME (keeps the state it replaces as before-restore), delete NAME.")
        {
            Action, Name, Replace, options.Force,
        };
    }

    public Command Command { get; }

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var action = context.Value(Action)!;
        var name = context.Value(Name);
        if (action != "list" && string.IsNullOrEmpty(name))
        {
            throw new UsageException($"snapshot {action} needs a NAME ('snapshot list' shows them).");
        }

        if (name is not null && !DatabaseSnapshots.IsValidName(name))
        {
            throw new UsageException($"'{CliOptions.Shorten(name)}' is not a snapshot name: a letter or digit, then letters, digits, - and _ (at most 30).");
        }

        var database = (await context.Database.ResolveAsync(cancellationToken)).ConnectionString;
        var snapshots = new DatabaseSnapshots(database);
        switch (action)
        {
            case "save":
                var saved = await snapshots.SaveAsync(name!, context.Value(Replace), cancellationToken);
                Report(context, database.Database!, action, [saved], () =>
                    context.Output.Line($"📸 Saved snapshot '{saved.Name}' of {database.Database} ({Format.Size(saved.Size)}, at {saved.DescribeVersion()}): 'snapshot restore {saved.Name}' puts it back"));
                return ExitCodes.Success;
            case "restore":
                await context.Database.RequireLocalDevelopmentAsync("snapshot restore", context.Value(_options.Force), cancellationToken);
                var restore = await snapshots.RestoreAsync(name!, context.Migrations.Engine, cancellationToken);
                var result = new SnapshotRestoreResult(database.Database!, Entry(restore.Restored), restore.ReplacedKeptAs, restore.Reverted, restore.Version, restore.Pending);
                context.Output.Report(result, static json => json.SnapshotRestoreResult, () =>
                {
                    context.Output.Line($"⏪ Restored snapshot '{restore.Restored.Name}' (taken {restore.Restored.TakenAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}) into {database.Database}");
                    if (restore.ReplacedKeptAs is { } kept)
                    {
                        context.Output.Line($"   What it replaced is kept as the snapshot '{kept}': 'snapshot restore {kept}' puts it back.");
                    }

                    if (restore.Reverted.Count > 0)
                    {
                        context.Output.Line($"   Reverted {restore.Reverted.Count} migration(s) this code does not know (another branch's), from their stored SQL: {string.Join(", ", restore.Reverted)}");
                    }

                    context.Output.Line($"   Schema version {restore.Version?.ToString() ?? "none"}{(restore.Pending > 0 ? $"; {restore.Pending} migration(s) pending: 'upgrade' applies them" : "")}");
                });
                return ExitCodes.Success;
            case "delete":
                var deleted = await snapshots.DeleteAsync(name!, cancellationToken);
                Report(context, database.Database!, action, [deleted], () => context.Output.Line($"🗑️  Deleted snapshot '{deleted.Name}' of {database.Database}"));
                return ExitCodes.Success;
            default:
                var all = await snapshots.ListAsync(cancellationToken);
                Report(context, database.Database!, action, all, () =>
                {
                    if (all.Count == 0)
                    {
                        context.Output.Line($"No snapshots of {database.Database}: 'snapshot save NAME' takes one.");
                        return;
                    }

                    context.Output.Line($"📸 Snapshots of {database.Database}, newest first:");
                    foreach (var snapshot in all)
                    {
                        context.Output.Line($"   {snapshot.Name,-20} {snapshot.TakenAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}  {Format.Size(snapshot.Size),9}  {snapshot.DescribeVersion()}");
                    }
                });
                return ExitCodes.Success;
        }
    }

    private static void Report(CommandContext context, string database, string action, IReadOnlyList<Snapshot> snapshots, Action human) =>
        context.Output.Report(new SnapshotsResult(database, action, snapshots.Select(Entry).ToArray()), static json => json.SnapshotsResult, human);

    private static SnapshotEntry Entry(Snapshot snapshot) =>
        new(snapshot.Name, snapshot.CopyName, snapshot.Version, snapshot.Description, snapshot.TakenAt, snapshot.Size);
}
