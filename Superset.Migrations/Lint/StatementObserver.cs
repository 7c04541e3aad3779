using Npgsql;
using Superset.Migrations.Connection;

namespace Superset.Migrations.Lint;

/// <summary>
/// Runs a migration's statements one by one in a transaction on lint's throwaway database, and after each reads what
/// it did to the tables that existed before: whether their file changed (<c>pg_class.relfilenode</c>: a rewrite) and
/// which locks its own session holds on them (<c>pg_locks</c>). Then rolls it all back. The tables are empty there, so
/// this takes milliseconds; what it sees is what the statement does to a table of any size. No peer measures this.
/// </summary>
internal static class StatementObserver
{
    /// <summary>PostgreSQL's table lock modes, weakest first.</summary>
    private static readonly string[] Modes =
    [
        "AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock",
        "ExclusiveLock", "AccessExclusiveLock",
    ];

    /// <summary>What each statement did; null when one of them failed here (the replay that follows reports it).</summary>
    public static async Task<IReadOnlyList<StatementEffects>?> ObserveAsync(NpgsqlConnection connection, IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            var files = await TableFilesAsync(connection, transaction, cancellationToken);
            var indexes = await IndexFilesAsync(connection, transaction, files, cancellationToken);
            var held = new Dictionary<uint, int>();
            var effects = new List<StatementEffects>(statements.Count);
            foreach (var statement in statements)
            {
                // What acts on the whole server is not run here (lint names it): the rest of the statement still is.
                if (Engine.ConfinedConnections.Filter(connection, statement) is { Length: > 0 } runnable)
                {
                    await SqlCommands.ExecuteAsync(connection, runnable, transaction, cancellationToken);
                }

                var rewritten = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (oid, (name, file)) in await TableFilesAsync(connection, transaction, cancellationToken))
                {
                    if (files.TryGetValue(oid, out var before) && before.File != file)
                    {
                        rewritten.Add(name);
                        files[oid] = (name, file);
                    }
                }

                // Locks last to the end of the transaction: what this statement took is what is new, or stronger, since the last.
                var locks = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (oid, mode) in await LocksAsync(connection, transaction, cancellationToken))
                {
                    if (files.TryGetValue(oid, out var table) && (!held.TryGetValue(oid, out var had) || mode > had))
                    {
                        held[oid] = mode;
                        locks[table.Name] = Display(Modes[mode]);
                    }
                }

                // An index of a table that was not rewritten, with a new file under its name: built again.
                var rebuilt = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (index, (table, file)) in await IndexFilesAsync(connection, transaction, files, cancellationToken))
                {
                    if (indexes.TryGetValue(index, out var before) && before.File != file && !rewritten.Contains(table))
                    {
                        rebuilt[index] = table;
                    }

                    indexes[index] = (table, file);
                }

                effects.Add(new StatementEffects(rewritten, locks) { RebuiltIndexes = rebuilt });
            }

            return effects;
        }
        catch (PostgresException)
        {
            return null;
        }
        finally
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
    }

    /// <summary>The application's tables (not the engine's or the system's) and the file each is stored in.</summary>
    private static async Task<Dictionary<uint, (string Name, uint File)>> TableFilesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT c.oid, c.relname, c.relfilenode FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'migrations')
              AND n.nspname NOT LIKE 'pg\_toast%' AND c.relname <> 'VersionInfo'
            """, connection, transaction);
        var files = new Dictionary<uint, (string, uint)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            files[reader.GetFieldValue<uint>(0)] = (reader.GetString(1), reader.GetFieldValue<uint>(2));
        }

        return files;
    }

    /// <summary>The indexes of the tables in <paramref name="tables"/>, by name: their table and file.</summary>
    private static async Task<Dictionary<string, (string Table, uint File)>> IndexFilesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Dictionary<uint, (string Name, uint File)> tables, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT x.indrelid, i.relname, i.relfilenode FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid::bigint = ANY($1)",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = tables.Keys.Select(oid => (long)oid).ToArray() });
        var indexes = new Dictionary<string, (string, uint)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            indexes[reader.GetString(1)] = (tables[reader.GetFieldValue<uint>(0)].Name, reader.GetFieldValue<uint>(2));
        }

        return indexes;
    }

    /// <summary>The strongest table lock this session holds on each relation, as an index into <see cref="Modes"/>.</summary>
    private static async Task<Dictionary<uint, int>> LocksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT relation, mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted AND relation IS NOT NULL",
            connection, transaction);
        var locks = new Dictionary<uint, int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var oid = reader.GetFieldValue<uint>(0);
            var mode = Array.IndexOf(Modes, reader.GetString(1));
            if (mode >= 0 && (!locks.TryGetValue(oid, out var other) || mode > other))
            {
                locks[oid] = mode;
            }
        }

        return locks;
    }

    /// <summary><c>AccessExclusiveLock</c> as PostgreSQL's documentation names it: <c>ACCESS EXCLUSIVE</c>.</summary>
    private static string Display(string mode) =>
        string.Concat(mode[..^"Lock".Length].Select((c, i) => i > 0 && char.IsUpper(c) ? " " + c : c.ToString())).ToUpperInvariant();
}
