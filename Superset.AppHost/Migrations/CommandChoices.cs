using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Superset.AppHost.Postgres;
using Superset.Migrations.Backup;
using Superset.Migrations.DeveloperDatabase;
using Superset.Migrations.Engine;
using Superset.Migrations.Seeding;

namespace Superset.AppHost.Migrations;

/// <summary>
/// The inputs the dashboard's commands ask for, with their choices read when the dialog opens: the versions one can
/// upgrade or roll back to (from the database's history), the backups in the folder, the snapshots on the server, the
/// seed datasets. A choice that cannot be read (the database is down) leaves the list empty and says why in the AppHost's log.
/// </summary>
internal static class CommandChoices
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    public static InteractionInput PendingVersion(SupersetPostgres postgres) => LoadedChoice(
        "target", "Up to version", "Apply the pending migrations up to and including this one; leave empty for all of them.", required: false,
        async token => (await PlanAsync(postgres, token)).Pending.Select(m => Option(m.Version, m.Description)).ToArray());

    public static InteractionInput AppliedVersion(SupersetPostgres postgres) => LoadedChoice(
        "target", "Back to version", "Revert every migration above this one (it stays applied); leave empty to revert the last one only.", required: false,
        async token =>
        {
            var plan = await PlanAsync(postgres, token);
            return plan.Applied.Where(a => plan.Current is { } current && a.Version < current.Version)
                .OrderByDescending(a => a.Version).Select(a => Option(a.Version, a.Description)).ToArray();
        });

    public static InteractionInput Backup(string directory) => LoadedChoice(
        "backup", "Backup", $"A backup in {directory}, newest first.", required: true,
        _ => Task.FromResult(BackupFile.List(directory)
            .Select(b => KeyValuePair.Create(b.Name, $"{b.Name} ({b.Version?.ToString() ?? "no migrations"})")).ToArray()));

    public static InteractionInput Snapshot(SupersetPostgres postgres) => LoadedChoice(
        "snapshot", "Snapshot", "A snapshot of the database, newest first ('before-restore' is what the last restore replaced).", required: true,
        async token => (await new DatabaseSnapshots(await ConnectionStringAsync(postgres, token)).ListAsync(token))
            .Select(s => KeyValuePair.Create(s.Name, $"{s.Name}: {s.TakenAt.ToLocalTime():yyyy-MM-dd HH:mm}, {s.DescribeVersion()}")).ToArray());

    public static InteractionInput SnapshotName() => new()
    {
        Name = "name",
        Label = "Snapshot name",
        Description = "A letter or digit, then letters, digits, - and _ (a snapshot of that name is replaced).",
        InputType = InputType.Text,
        Required = true,
        Placeholder = "before-experiment",
    };

    public static InteractionInput Dataset() => new()
    {
        Name = "dataset",
        Label = "Dataset",
        InputType = InputType.Choice,
        Required = false,
        Description = "The seed data to add; leave empty for the default dataset.",
        Options = SeedCatalog.Of(MigrationSource.App).Datasets.Select(d => KeyValuePair.Create(d, d)).ToArray(),
    };

    /// <summary>A choice whose options are read when the dialog opens (see <see cref="LoadAsync"/>).</summary>
    private static InteractionInput LoadedChoice(
        string name, string label, string description, bool required, Func<CancellationToken, Task<KeyValuePair<string, string>[]>> read) => new()
    {
        Name = name,
        Label = label,
        Description = description,
        InputType = InputType.Choice,
        Required = required,
        DynamicLoading = new InputLoadOptions { LoadCallback = load => LoadAsync(load, read) },
    };

    private static KeyValuePair<string, string> Option(long version, string description) =>
        KeyValuePair.Create(version.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{version} ({description})");

    private static async Task LoadAsync(LoadInputContext load, Func<CancellationToken, Task<KeyValuePair<string, string>[]>> read)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(load.CancellationToken);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            load.Input.Options = await read(timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException or IOException or MigrationException)
        {
            load.Input.Options = [];
            load.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CommandChoices))
                .LogWarning("Could not read the choices of {Input}: {Reason}", load.Input.Name, ex.Message);
        }
    }

    private static async Task<NpgsqlConnectionStringBuilder> ConnectionStringAsync(SupersetPostgres postgres, CancellationToken cancellationToken) =>
        new(await postgres.Database.Resource.GetConnectionStringAsync(cancellationToken))
        {
            Pooling = false,
            ApplicationName = "superset-apphost",
            Timeout = (int)ReadTimeout.TotalSeconds,
        };

    private static async Task<MigrationPlan> PlanAsync(SupersetPostgres postgres, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection((await ConnectionStringAsync(postgres, cancellationToken)).ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return await new MigrationEngine(MigrationSource.App).PlanAsync(connection, cancellationToken);
    }
}
