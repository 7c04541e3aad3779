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
        var exists = await SqlCommands.DatabaseExistsAsync(admin, copy, cancellationToken);
        if (exists && !replace)
        {
            throw new MigrationException(MigrationErrorKind.Refused, $"A snapshot named '{name}' exists (of {_database}): delete it, or save with --replace.");
        }

        // Copied under a name of its own first: the snapshot it replaces is dropped only once the copy is made.
        var making = $"{copy[..Math.Min(copy.Length, 50)]}_saving";
        await MaintenanceDatabase.DropAsync(admin, making, cancellationToken);
        await MaintenanceDatabase.CopyAsync(admin, _database, making, cancellationToken);
        if (exists)
        {
            await MaintenanceDatabase.DropAsync(admin, copy, cancellationToken);
        }

        await SqlCommands.ExecuteAsync(admin, $"ALTER DATABASE {Identifiers.Quote(making)} RENAME TO {Identifiers.Quote(copy)}", cancellationToken: cancellationToken);
        var record = new SnapshotRecord(_database, name, version, description, DateTimeOffset.UtcNow);
        await SqlCommands.ExecuteAsync(admin,
            $"COMMENT ON DATABASE {Identifiers.Quote(copy)} IS {Literal(JsonSerializer.Serialize(record, SnapshotJson.Default.SnapshotRecord))}", cancellationToken: cancellationToken);
        return (await FindAsync(admin, name, cancellationToken))!;
    }

    /// <summary>The database's snapshots, newest first.</summary>
    public async Task<IReadOnlyList<Snapshot>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var admin = await MaintenanceDatabase.OpenAsync(database, cancellationToken);
        return await ListAsync(admin, cancellationToken);
    }

    public async Task<SnapshotRestore> RestoreAsync(string name, MigrationEngine engine, CancellationToken cancellationToken = default)
    {
        Snapshot snapshot;
        await using (var admin = await MaintenanceDatabase.OpenAsync(database, cancellationToken))
        {
            snapshot = await FindAsync(admin, name, cancellationToken) ?? throw NotFound(name, await ListAsync(admin, cancellationToken));
        }

        // Refused before anything changes: another branch's migration that only its code can revert.
        var unknown = await UnknownMigrationsAsync(snapshot, engine, cancellationToken);
        if (unknown.FirstOrDefault(m => !m.Revertible) is { } stuck)
        {
            throw new MigrationException(MigrationErrorKind.Refused,
                $"Snapshot '{name}' holds migration {stuck.Version} ({stuck.Description}), which this code does not know and which cannot be reverted without its code: " +
                "check out the branch that has it and restore there (then downgrade), or restore another snapshot. Nothing was changed.");
        }

        string? keptAs = null;
        if (name != BeforeRestore && await ExistsAsync(cancellationToken))
        {
            await SaveAsync(BeforeRestore, replace: true, cancellationToken);
            keptAs = BeforeRestore;
        }

        await MaintenanceDatabase.RecreateAsync(database, _database, snapshot.CopyName, cancellationToken);

        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false };
        await using var connection = await DatabaseConnector.OpenAsync(target, cancellationToken: cancellationToken);
        IReadOnlyList<long> reverted = [];
        if (unknown.Count > 0)
        {
            var result = await engine.DowngradeAsync(connection, new DowngradeRequest(Unknown: true), cancellationToken: cancellationToken);
            reverted = result.Reverted.Concat(result.Migrations).Select(m => m.Migration.Version).Distinct().ToArray();
        }

        var plan = await engine.PlanAsync(connection, cancellationToken);
        return new SnapshotRestore(snapshot, keptAs, reverted, plan.Current?.Version, plan.Pending.Count);
    }

    public async Task<Snapshot> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var admin = await MaintenanceDatabase.OpenAsync(database, cancellationToken);
        var snapshot = await FindAsync(admin, name, cancellationToken) ?? throw NotFound(name, await ListAsync(admin, cancellationToken));
        await MaintenanceDatabase.DropAsync(admin, snapshot.CopyName, cancellationToken);
        return snapshot;
    }

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

    private async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        await using var admin = await MaintenanceDatabase.OpenAsync(database, cancellationToken);
        return await SqlCommands.DatabaseExistsAsync(admin, _database, cancellationToken);
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

    /// <summary>The snapshot's applied migrations this code does not know, read from the copy itself (a session closed again before it is copied).</summary>
    private async Task<IReadOnlyList<AppliedMigration>> UnknownMigrationsAsync(Snapshot snapshot, MigrationEngine engine, CancellationToken cancellationToken)
    {
        var copy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = snapshot.CopyName, Pooling = false };
        await using var connection = await DatabaseConnector.OpenAsync(copy, cancellationToken: cancellationToken);
        return (await engine.PlanAsync(connection, cancellationToken)).Unknown;
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
            if (reader.IsDBNull(1) || Parse(reader.GetString(1)) is not { } record || record.Of != _database)
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

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$")]
    private static partial Regex NamePattern();
}

/// <summary>What the comment on a snapshot's copy says.</summary>
internal sealed record SnapshotRecord(string Of, string Name, long? Version, string? Description, DateTimeOffset TakenAt);

[JsonSerializable(typeof(SnapshotRecord))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class SnapshotJson : JsonSerializerContext;
