using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;

namespace Superset.Migrations.DeveloperDatabase;

/// <summary>A snapshot of a database: a copy on the same server, with the migration version and time it was taken at.</summary>
public sealed record Snapshot(string Name, string CopyName, string Of, long? Version, string? Description, DateTimeOffset TakenAt, long Size)
{
    public string DescribeVersion() => Version is null ? "no migrations applied" : $"{Version} ({Description})";
}

/// <summary>A restore: the snapshot, where the state it replaced is kept, and the other branch's migrations it reverted.</summary>
public sealed record SnapshotRestore(Snapshot Restored, string? ReplacedKeptAs, IReadOnlyList<long> Reverted, long? Version, int Pending);

/// <summary>
/// Snapshots of a developer's database, as copies on the same server (<c>CREATE DATABASE … TEMPLATE</c>, a file copy:
/// seconds where a dump and a restore take minutes), named <c>&lt;database&gt;_snapshot_&lt;name&gt;</c> and described
/// by a comment on the copy (the database it is of, its version, when). A restore replaces the database with a copy of
/// the snapshot, after keeping what it replaces as the snapshot <c>before-restore</c>; migrations the code does not know
/// (a snapshot taken on another branch) are reverted from their stored SQL, as F5 does after a branch switch, or the
/// restore is refused, with nothing changed, when one cannot be.
/// </summary>
public sealed partial class DatabaseSnapshots(NpgsqlConnectionStringBuilder database)
{
    public const string BeforeRestore = "before-restore";

    private const string Infix = "_snapshot_";

    private readonly string _database = database.Database ?? throw new InvalidConnectionException("The connection names no database.");

    /// <summary>Snapshot names: a letter or digit, then letters, digits, - and _.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public async Task<Snapshot> SaveAsync(string name, bool replace, CancellationToken cancellationToken = default)
    {
        var copy = CopyName(name);
        var (version, description) = await CurrentVersionAsync(cancellationToken);
        await using var admin = await MaintenanceDatabase.OpenAsync(database, cancellationToken);
        await WorkDatabases.DropAbandonedAsync(admin, cancellationToken);
        var existing = await RequireNoStrangerAsync(admin, name, cancellationToken);
        if (existing is not null && !replace)
        {
            throw new MigrationException(MigrationErrorKind.Refused, $"A snapshot named '{name}' exists (of {_database}): delete it, or save with --replace.");
        }

        // Copied under a work database's name first; the snapshot it replaces is put aside only in the transaction that
        // names the copy, and dropped after it: a failure or a kill at any step leaves the old snapshot in place.
        var making = WorkDatabases.NewName();
        var aside = existing is null ? null : WorkDatabases.NewName();
        try
        {
            await MaintenanceDatabase.CopyAsync(admin, _database, making, cancellationToken);
            var record = new SnapshotRecord(_database, name, version, description, DateTimeOffset.UtcNow);
            List<(string, string)> renames = aside is null ? [(making, copy)] : [(copy, aside), (making, copy)];
            await MaintenanceDatabase.SwapAsync(admin, renames, new Dictionary<string, string?> { [copy] = Describe(record) }, cancellationToken);
        }
        finally
        {
            await WorkDatabases.TryDropAsync(admin, making);
            if (aside is not null)
            {
                await WorkDatabases.TryDropAsync(admin, aside);
            }
        }

        // Done: a cancel from here on would say "cancelled" of a snapshot that was saved.
        return (await FindAsync(admin, name, CancellationToken.None))!;
    }

    /// <summary>The database's snapshots, newest first.</summary>
    public async Task<IReadOnlyList<Snapshot>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var admin = await MaintenanceDatabase.OpenAsync(database, cancellationToken);
        await WorkDatabases.DropAbandonedAsync(admin, cancellationToken);
        return await ListAsync(admin, cancellationToken);
    }

    public async Task<Snapshot> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var admin = await MaintenanceDatabase.OpenAsync(database, cancellationToken);
        await WorkDatabases.DropAbandonedAsync(admin, cancellationToken);
        var snapshot = await FindAsync(admin, name, cancellationToken) ?? throw NotFound(name, await ListAsync(admin, cancellationToken));

        // Put aside and dropped: only a database recorded as this database's snapshot is ever dropped.
        var aside = WorkDatabases.NewName();
        await MaintenanceDatabase.SwapAsync(admin, [(snapshot.CopyName, aside)], new Dictionary<string, string?>(), cancellationToken);
        await WorkDatabases.TryDropAsync(admin, aside);
        return snapshot;
    }

    /// <summary>
    /// The snapshot <paramref name="name"/> when it is one; refuses when a database has its name but is not recorded as
    /// a snapshot of this database (made by hand, say): this tool never drops or replaces what it did not make.
    /// </summary>
    private async Task<Snapshot?> RequireNoStrangerAsync(NpgsqlConnection admin, string name, CancellationToken cancellationToken)
    {
        var copy = CopyName(name);
        var snapshot = await FindAsync(admin, name, cancellationToken);
        if (snapshot is null && await SqlCommands.DatabaseExistsAsync(admin, copy, cancellationToken))
        {
            throw new MigrationException(MigrationErrorKind.Refused,
                $"A database named {copy} exists and is not a snapshot of {_database} that this tool took: rename or drop it yourself, or choose another snapshot name. Nothing was changed.");
        }

        return snapshot;
    }

    private static string Describe(SnapshotRecord record) => JsonSerializer.Serialize(record, SnapshotJson.Default.SnapshotRecord);

    private string CopyName(string name)
    {
        if (!IsValidName(name))
        {
            throw new MigrationException(MigrationErrorKind.InvalidInput,
                $"'{name}' is not a snapshot name: a letter or digit, then letters, digits, - and _ (at most 30).");
        }

        var copy = _database + Infix + name;
        return copy.Length <= 63
            ? copy
            : throw new MigrationException(MigrationErrorKind.InvalidInput,
                $"A snapshot of {_database} named '{name}' would be a database named {copy}, longer than PostgreSQL's 63 characters: choose a shorter name.");
    }

    /// <summary>The version the database is at, from its history: what a snapshot of it is at.</summary>
    private async Task<(long? Version, string? Description)> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DatabaseConnector.OpenAsync(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }, cancellationToken: cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT to_regclass('migrations.history') IS NOT NULL", connection);
        if (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
        {
            return (null, null);
        }

        await using var latest = new NpgsqlCommand("SELECT version, description FROM migrations.history ORDER BY version DESC LIMIT 1", connection);
        await using var reader = await latest.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : (null, null);
    }

    private async Task<Snapshot?> FindAsync(NpgsqlConnection admin, string name, CancellationToken cancellationToken) =>
        (await ListAsync(admin, cancellationToken)).FirstOrDefault(s => s.Name == name);

    private async Task<IReadOnlyList<Snapshot>> ListAsync(NpgsqlConnection admin, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT datname, shobj_description(oid, 'pg_database'), pg_database_size(oid) FROM pg_database WHERE left(datname, length($1)) = $1", admin);
        command.Parameters.Add(new NpgsqlParameter { Value = _database + Infix });
        var snapshots = new List<Snapshot>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsDBNull(1) || Parse(reader.GetString(1)) is not { } record || record.Of != _database
                || !IsValidName(record.Name) || reader.GetString(0) != _database + Infix + record.Name)
            {
                // A copy in the making, or a database that only looks like a snapshot.
                continue;
            }

            snapshots.Add(new Snapshot(record.Name, reader.GetString(0), record.Of, record.Version, record.Description, record.TakenAt, reader.GetInt64(2)));
        }

        return snapshots.OrderByDescending(s => s.TakenAt).ToArray();
    }

    private static SnapshotRecord? Parse(string comment)
    {
        try
        {
            return JsonSerializer.Deserialize(comment, SnapshotJson.Default.SnapshotRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private MigrationException NotFound(string name, IReadOnlyList<Snapshot> snapshots) =>
        new(MigrationErrorKind.InvalidInput, snapshots.Count == 0
            ? $"No snapshot named '{name}': {_database} has none ('snapshot save NAME' takes one)."
            : $"No snapshot named '{name}' of {_database}: there are {string.Join(", ", snapshots.Select(s => s.Name))}.");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$")]
    private static partial Regex NamePattern();
}

/// <summary>What the comment on a snapshot's copy says.</summary>
internal sealed record SnapshotRecord(string Of, string Name, long? Version, string? Description, DateTimeOffset TakenAt);

[JsonSerializable(typeof(SnapshotRecord))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class SnapshotJson : JsonSerializerContext;
