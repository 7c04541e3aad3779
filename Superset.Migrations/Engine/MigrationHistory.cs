using System.Globalization;
using Npgsql;

namespace Superset.Migrations.Engine;

/// <summary>
/// The engine's own tables, in their own schema so that they never mix with the application's tables:
/// <c>migrations.history</c> (what is applied) and <c>migrations.events</c> (what was done, by whom).
/// Every statement that writes them is built here as plain SQL with literals, so that <c>--sql</c> prints
/// exactly what runs.
/// </summary>
public static class MigrationHistory
{
    public const string Schema = "migrations";
    public const string HistoryTable = Schema + ".history";
    public const string EventsTable = Schema + ".events";

    /// <summary>Session setting that carries a migration's start time into its history row.</summary>
    private const string StartedSetting = "superset.migration_started";

    public const string CreateTablesSql = $"""
        CREATE SCHEMA IF NOT EXISTS {Schema};
        CREATE TABLE IF NOT EXISTS {HistoryTable} (
            version       bigint      PRIMARY KEY,
            description   text        NOT NULL,
            checksum      text,
            applied_at    timestamptz NOT NULL DEFAULT now(),
            duration_ms   integer     NOT NULL DEFAULT 0,
            applied_by    text        NOT NULL,
            db_user       text        NOT NULL DEFAULT current_user,
            transactional boolean     NOT NULL DEFAULT true,
            applied_via   text        NOT NULL DEFAULT 'upgrade',
            applied_order bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
            down_sql      text,
            irreversible  text
        );
        ALTER TABLE {HistoryTable} ADD COLUMN IF NOT EXISTS down_sql text;
        ALTER TABLE {HistoryTable} ADD COLUMN IF NOT EXISTS irreversible text;
        CREATE TABLE IF NOT EXISTS {EventsTable} (
            id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at      timestamptz NOT NULL DEFAULT now(),
            action  text        NOT NULL,
            version bigint,
            detail  text        NOT NULL DEFAULT '',
            actor   text        NOT NULL,
            db_user text        NOT NULL DEFAULT current_user
        )
        """;

    /// <summary>Marks the start of a migration that runs outside a transaction, for its duration in the history row.</summary>
    public const string MarkStartSql = $"SELECT set_config('{StartedSetting}', clock_timestamp()::text, false)";

    /// <param name="reversal">
    /// How it can be undone: its Down() SQL is kept to revert it when its code is gone, and an irreversible one says why.
    /// </param>
    public static string InsertSql(KnownMigration migration, string? checksum, string actor, string appliedVia, Reversal reversal, bool measured = true) =>
        $"INSERT INTO {HistoryTable} (version, description, checksum, duration_ms, applied_by, transactional, applied_via, down_sql, irreversible) VALUES (" +
        $"{migration.Version}, {Literal(migration.Description)}, {(checksum is null ? "NULL" : Literal(checksum))}, " +
        (!measured ? "0, "
            // In a transaction now() is when it began; outside one, the start was marked with MarkStartSql.
            : migration.Transactional ? "(extract(epoch FROM clock_timestamp() - now()) * 1000)::integer, "
            : $"(extract(epoch FROM clock_timestamp() - current_setting('{StartedSetting}')::timestamptz) * 1000)::integer, ") +
        $"{Literal(actor)}, {(migration.Transactional ? "true" : "false")}, {Literal(appliedVia)}, {LiteralOrNull(reversal.StoredSql)}, {LiteralOrNull(reversal.IrreversibleReason)})";

    /// <summary>A migration another runner applied, recorded by <c>adopt</c> with when it was applied (now when unknown).</summary>
    public static string InsertAdoptedSql(KnownMigration migration, string? checksum, string actor, Reversal reversal, DateTimeOffset? appliedAt) =>
        $"INSERT INTO {HistoryTable} (version, description, checksum, applied_at, duration_ms, applied_by, transactional, applied_via, down_sql, irreversible) VALUES (" +
        $"{migration.Version}, {Literal(migration.Description)}, {LiteralOrNull(checksum)}, " +
        $"{(appliedAt is { } at ? Literal(at.ToString("O", CultureInfo.InvariantCulture)) + "::timestamptz" : "now()")}, 0, " +
        $"{Literal(actor)}, {(migration.Transactional ? "true" : "false")}, {Literal(RecordedActions.Adopt)}, {LiteralOrNull(reversal.StoredSql)}, {LiteralOrNull(reversal.IrreversibleReason)})";

    public static string DeleteSql(long version) => $"DELETE FROM {HistoryTable} WHERE version = {version}";

    public static string UpdateChecksumSql(long version, string checksum) =>
        $"UPDATE {HistoryTable} SET checksum = {Literal(checksum)} WHERE version = {version}";

    public static string EventSql(string action, long? version, string detail, string actor) =>
        $"INSERT INTO {EventsTable} (action, version, detail, actor) VALUES (" +
        $"{Literal(action)}, {(version?.ToString(CultureInfo.InvariantCulture) ?? "NULL")}, {Literal(detail)}, {Literal(actor)})";

    /// <summary>
    /// Records that a migration failed, outside any transaction (the failed one is rolled back); when the connection
    /// itself failed there is nothing to write with, and the failure is still reported to the caller.
    /// </summary>
    public static async Task TryRecordFailureAsync(
        NpgsqlConnection connection, MigrationRef migration, FluentMigrator.MigrationDirection direction, Exception error, string actor)
    {
        try
        {
            var message = error is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : error.Message;
            await Connection.SqlCommands.ExecuteAsync(connection,
                EventSql(RecordedActions.Failed(direction), migration.Version, message, actor), cancellationToken: CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection itself failed (Npgsql says "Connection is not open" with an InvalidOperationException).
        }
    }

    /// <summary>The Down() SQL stored with an applied migration; null when none was.</summary>
    public static async Task<string?> ReadDownSqlAsync(NpgsqlConnection connection, long version, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT down_sql FROM {HistoryTable} WHERE version = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>A SQL string literal (standard_conforming_strings is on in every supported PostgreSQL).</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string LiteralOrNull(string? value) => value is null ? "NULL" : Literal(value);

    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT to_regclass('{HistoryTable}') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Which of the history's columns exist (those added since it was first made may not: readers never write, the next
    /// run adds them), null when the table does not, and which other runners' version tables are there, in one round
    /// trip: status is on every F5's path.
    /// </summary>
    private static async Task<(HashSet<string>? Columns, HistoryTables Tables)> ReadShapeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT to_regclass('{HistoryTable}') IS NOT NULL,
                   (SELECT string_agg(attname::text, ',') FROM pg_attribute WHERE attrelid = to_regclass('{HistoryTable}') AND attnum > 0 AND NOT attisdropped),
                   to_regclass('public."VersionInfo"') IS NOT NULL,
                   to_regclass('public.alembic_version') IS NOT NULL
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var columns = reader.GetBoolean(0) ? reader.GetString(1).Split(',').ToHashSet(StringComparer.Ordinal) : null;
        return (columns, new HistoryTables(columns is not null, reader.GetBoolean(2), reader.GetBoolean(3)));
    }

    public static async Task EnsureCreatedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CreateTablesSql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Reads the history in the order migrations were applied; empty when the tables do not exist yet.</summary>
    public static async Task<IReadOnlyList<AppliedMigration>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (await ReadWithTablesAsync(connection, cancellationToken)).Applied;

    /// <summary>The history, and which version tables (ours, FluentMigrator's, Alembic's) the database has.</summary>
    public static async Task<(IReadOnlyList<AppliedMigration> Applied, HistoryTables Tables)> ReadWithTablesAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var (columns, tables) = await ReadShapeAsync(connection, cancellationToken);
        if (columns is null)
        {
            return ([], tables);
        }

        // A table from before down_sql or irreversible existed reads as "nothing stored".
        var revertible = columns.Contains("down_sql") ? "down_sql IS NOT NULL" : "false";
        var irreversible = columns.Contains("irreversible") ? "irreversible" : "NULL::text";
        await using var command = new NpgsqlCommand(
            $"SELECT version, description, checksum, applied_at, duration_ms, applied_by, transactional, applied_via, applied_order, {revertible}, {irreversible} " +
            $"FROM {HistoryTable} ORDER BY applied_order",
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<AppliedMigration>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AppliedMigration(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetInt32(4),
                reader.GetString(5),
                reader.GetBoolean(6),
                reader.GetString(7),
                reader.GetInt64(8),
                reader.GetBoolean(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return (rows, tables);
    }
}

/// <summary>Which version tables a database has: the engine's history, FluentMigrator's <c>VersionInfo</c>, Alembic's <c>alembic_version</c>.</summary>
