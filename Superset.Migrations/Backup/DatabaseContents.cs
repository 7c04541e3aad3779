using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.Migrations.Backup;

/// <summary>
/// Whether a database holds anything a backup would keep. A fresh database (no application tables, no applied
/// migrations) is not backed up before its first upgrade: the dump would hold an empty schema, and every fresh start
/// and every test would write one.
/// </summary>
public static class DatabaseContents
{
    public const string NothingToBackUp = "the database has no application tables and no applied migrations: nothing to back up";

    /// <summary>
    /// True when no schema but the engine's own holds a table, view, sequence, function or type, and no migration is
    /// applied. Extensions' and PostgreSQL's own schemas do not count.
    /// </summary>
    public static async Task<bool> IsEmptyAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(
            $"""
            WITH user_schemas AS (
                SELECT oid FROM pg_namespace
                WHERE nspname NOT IN ('pg_catalog', 'information_schema', '{MigrationHistory.Schema}')
                  AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp%'
                  AND oid NOT IN (SELECT objid FROM pg_depend WHERE classid = 'pg_namespace'::regclass AND deptype = 'e'))
            SELECT NOT (
                EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace IN (SELECT oid FROM user_schemas)
                        AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'))
                OR EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace IN (SELECT oid FROM user_schemas)
                        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'))
                OR EXISTS (SELECT 1 FROM pg_type t WHERE t.typnamespace IN (SELECT oid FROM user_schemas) AND t.typtype IN ('e', 'd')
                        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')))
            """,
            connection);
        var empty = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        return empty && !await HasAppliedMigrationsAsync(connection, cancellationToken);
    }

    private static async Task<bool> HasAppliedMigrationsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (!await MigrationHistory.ExistsAsync(connection, cancellationToken))
        {
            return false;
        }

        await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {MigrationHistory.HistoryTable})", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
