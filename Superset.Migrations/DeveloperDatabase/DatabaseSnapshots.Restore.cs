using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;

namespace Superset.Migrations.DeveloperDatabase;

/// <summary>Putting a snapshot back: a copy made and brought to this code's migrations first, then swapped in.</summary>
public sealed partial class DatabaseSnapshots
{
    /// <summary>
    /// Puts a snapshot back. The snapshot is copied under a work database's name, another branch's migrations are
    /// reverted there, and only then, holding the migration lock of the database (so that no upgrade runs under it),
    /// one transaction renames the database to the snapshot <c>before-restore</c> (a rename: no copy) and the copy to
    /// the database. A <c>before-restore</c> kept by an earlier restore is kept too, under its time. Until that
    /// transaction commits, the database is untouched; after it, nothing is lost.
    /// </summary>
    public async Task<SnapshotRestore> RestoreAsync(string name, MigrationEngine engine, CancellationToken cancellationToken = default)
    {
        await using var admin = await MaintenanceDatabase.OpenAsync(database, cancellationToken);
        await WorkDatabases.DropAbandonedAsync(admin, cancellationToken);
        var snapshot = await FindAsync(admin, name, cancellationToken) ?? throw NotFound(name, await ListAsync(admin, cancellationToken));

        // Refused before anything changes: another branch's migration that only its code can revert.
        var unknown = await UnknownMigrationsAsync(snapshot, engine, cancellationToken);
        if (unknown.FirstOrDefault(m => !m.Revertible) is { } stuck)
        {
            throw new MigrationException(MigrationErrorKind.Refused,
                $"Snapshot '{name}' holds migration {stuck.Version} ({stuck.Description}), which this code does not know and which cannot be reverted without its code: " +
                "check out the branch that has it and restore there (then downgrade), or restore another snapshot. Nothing was changed.");
        }

        await using var hold = await DatabaseHold.TakeAsync(database, engine.Options.LockWait, "snapshot restore", cancellationToken);
        var making = WorkDatabases.NewName();
        var aside = WorkDatabases.NewName();
        try
        {
            await MaintenanceDatabase.CopyAsync(admin, snapshot.CopyName, making, cancellationToken);
            IReadOnlyList<long> reverted = [];
            if (unknown.Count > 0)
            {
                var copy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = making, Pooling = false };
                await using var connection = await DatabaseConnector.OpenAsync(copy, cancellationToken: cancellationToken);
                var result = await engine.DowngradeAsync(connection, new DowngradeRequest(Unknown: true), cancellationToken: cancellationToken);
                reverted = result.Reverted.Concat(result.Migrations).Select(m => m.Migration.Version).Distinct().ToArray();
            }

            var (renames, comments, keptAs) = await RestoreRenamesAsync(admin, snapshot, hold.Exists, making, aside, cancellationToken);
            await MaintenanceDatabase.SwapAsync(admin, renames, comments, cancellationToken);

            // Done: a cancel from here on would say "cancelled" of a restore that happened.
            var target = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false };
            await using var restored = await DatabaseConnector.OpenAsync(target, cancellationToken: CancellationToken.None);
            var plan = await engine.PlanAsync(restored, CancellationToken.None);
            return new SnapshotRestore(snapshot, keptAs, reverted, plan.Current?.Version, plan.Pending.Count);
        }
        finally
        {
            await WorkDatabases.TryDropAsync(admin, making);
            await WorkDatabases.TryDropAsync(admin, aside);
        }
    }

    /// <summary>
    /// The renames of a restore: an earlier <c>before-restore</c> to its own name (or aside, when it is the snapshot
    /// being restored: its state becomes the database's), the database to <c>before-restore</c>, the copy to the database.
    /// </summary>
    private async Task<(List<(string, string)> Renames, Dictionary<string, string?> Comments, string? KeptAs)> RestoreRenamesAsync(
        NpgsqlConnection admin, Snapshot snapshot, bool databaseExists, string making, string aside, CancellationToken cancellationToken)
    {
        var renames = new List<(string, string)>();
        var comments = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? keptAs = null;
        if (databaseExists)
        {
            var safety = CopyName(BeforeRestore);
            if (await FindAsync(admin, BeforeRestore, cancellationToken) is { } earlier)
            {
                if (snapshot.Name == BeforeRestore)
                {
                    renames.Add((earlier.CopyName, aside));
                }
                else
                {
                    var keptName = await FreeNameAsync(admin, BeforeRestore, cancellationToken);
                    renames.Add((earlier.CopyName, CopyName(keptName)));
                    comments[CopyName(keptName)] = Describe(new SnapshotRecord(_database, keptName, earlier.Version, earlier.Description, earlier.TakenAt));
                }
            }
            else
            {
                await RequireNoStrangerAsync(admin, BeforeRestore, cancellationToken);
            }

            var (version, description) = await CurrentVersionAsync(cancellationToken);
            renames.Add((_database, safety));
            comments[safety] = Describe(new SnapshotRecord(_database, BeforeRestore, version, description, DateTimeOffset.UtcNow));
            keptAs = BeforeRestore;
        }

        renames.Add((making, _database));
        return (renames, comments, keptAs);
    }

    /// <summary><paramref name="name"/>-1, -2, …: the first that no database has (a short name: a snapshot's database name has 63 characters at most).</summary>
    private async Task<string> FreeNameAsync(NpgsqlConnection admin, string name, CancellationToken cancellationToken)
    {
        var i = 1;
        while (await SqlCommands.DatabaseExistsAsync(admin, CopyName($"{name}-{i}"), cancellationToken))
        {
            i++;
        }

        return $"{name}-{i}";
    }

    /// <summary>The snapshot's applied migrations this code does not know, read from the copy itself (a session closed again before it is copied).</summary>
    private async Task<IReadOnlyList<AppliedMigration>> UnknownMigrationsAsync(Snapshot snapshot, MigrationEngine engine, CancellationToken cancellationToken)
    {
        var copy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = snapshot.CopyName, Pooling = false };
        await using var connection = await DatabaseConnector.OpenAsync(copy, cancellationToken: cancellationToken);
        return (await engine.PlanAsync(connection, cancellationToken)).Unknown;
    }
}
