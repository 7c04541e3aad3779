using Npgsql;
using Superset.Migrations.Schema;

namespace Superset.Migrations.Autogenerate;

/// <summary>
/// Reads a database's <c>public</c> schema from PostgreSQL's catalog into the same shape models produce: tables,
/// columns (type, nullability, default, identity), primary keys, foreign keys, unique constraints and indexes.
/// The engine's own <c>migrations</c> schema is never part of it.
/// </summary>
public static class CatalogReader
{
    public const string SchemaName = "public";

    public static async Task<DatabaseSchema> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        var columns = await ReadColumnsAsync(connection, cancellationToken);
        var constraints = await ReadConstraintsAsync(connection, cancellationToken);
        var indexes = await ReadIndexesAsync(connection, cancellationToken);

        var tables = columns.Keys.OrderBy(t => t, StringComparer.Ordinal).Select(table =>
        {
            var tableConstraints = constraints.GetValueOrDefault(table) ?? [];
            var primaryKey = tableConstraints.FirstOrDefault(c => c.Type == 'p');
            return new TableSchema(
                table,
                columns[table],
                primaryKey is null ? null : new PrimaryKeySchema(primaryKey.Name, primaryKey.Columns),
                tableConstraints.Where(c => c.Type == 'f')
                    .Select(c => new ForeignKeySchema(c.Name, c.Columns, c.ReferencedTable!, c.ReferencedColumns, c.OnDelete))
                    .OrderBy(f => f.Name, StringComparer.Ordinal).ToArray(),
                tableConstraints.Where(c => c.Type == 'u')
                    .Select(c => new UniqueSchema(c.Name, c.Columns))
                    .OrderBy(u => u.Name, StringComparer.Ordinal).ToArray(),
                (indexes.GetValueOrDefault(table) ?? []).OrderBy(i => i.Name, StringComparer.Ordinal).ToArray())
            {
                NotNullChecked = tableConstraints.Where(c => c.ProvesNotNull).Select(c => c.Columns[0]).ToHashSet(StringComparer.Ordinal),
            };
        });

        return new DatabaseSchema(tables.ToArray());
    }

    private static Task<Dictionary<string, List<ColumnSchema>>> ReadColumnsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        ReadByTableAsync(connection,
            """
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid), a.attidentity <> ''
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
            ORDER BY c.relname, a.attnum
            """,
            reader => new ColumnSchema(
                reader.GetString(1),
                ColumnType.Parse(reader.GetString(2)),
                Nullable: !reader.GetBoolean(3),
                Default: DefaultSql.Normalize(reader.IsDBNull(4) ? null : reader.GetString(4)),
                Identity: reader.GetBoolean(5)),
            cancellationToken);

    /// <param name="ProvesNotNull">A validated <c>CHECK (column IS NOT NULL)</c>: what lets SET NOT NULL skip its scan.</param>
    private sealed record Constraint(string Name, char Type, string[] Columns, string? ReferencedTable, string[] ReferencedColumns, OnDelete OnDelete, bool ProvesNotNull);

    private static Task<Dictionary<string, List<Constraint>>> ReadConstraintsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        ReadByTableAsync(connection,
            """
            SELECT c.relname, con.conname, con.contype,
                   ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[],
                   rc.relname,
                   ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[],
                   con.confdeltype,
                   con.contype = 'c' AND con.convalidated AND cardinality(con.conkey) = 1
                       AND pg_get_constraintdef(con.oid) ~ '^CHECK \(\(\S+ IS NOT NULL\)\)$'
            FROM pg_constraint con
            JOIN pg_class c ON c.oid = con.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_class rc ON rc.oid = con.confrelid
            WHERE n.nspname = $1 AND con.contype IN ('p', 'f', 'u', 'c')
            """,
            reader => new Constraint(
                reader.GetString(1),
                reader.GetChar(2),
                reader.GetFieldValue<string[]>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<string[]>(5),
                reader.GetChar(6) switch { 'c' => OnDelete.Cascade, 'n' => OnDelete.SetNull, 'r' => OnDelete.Restrict, _ => OnDelete.NoAction },
                reader.GetBoolean(7)),
            cancellationToken);

    // Indexes that back a constraint (primary key, unique) belong to the constraint, not here.
    private static Task<Dictionary<string, List<IndexSchema>>> ReadIndexesAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        ReadByTableAsync(connection,
            """
            SELECT t.relname, i.relname, ix.indisunique,
                   ARRAY(SELECT a.attname FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[],
                   0 = ANY(ix.indkey::int2[]) OR ix.indpred IS NOT NULL,
                   pg_get_indexdef(ix.indexrelid)
            FROM pg_index ix
            JOIN pg_class i ON i.oid = ix.indexrelid
            JOIN pg_class t ON t.oid = ix.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = $1 AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid)
            """,
            reader => new IndexSchema(
                reader.GetString(1),
                reader.GetFieldValue<string[]>(3),
                reader.GetBoolean(2),
                Definition: reader.GetBoolean(4) ? reader.GetString(5) : null),
            cancellationToken);

    /// <summary>Runs a catalog query on the public schema whose first column is the table, and groups its rows by table.</summary>
    private static async Task<Dictionary<string, List<T>>> ReadByTableAsync<T>(
        NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = SchemaName });

        var byTable = new Dictionary<string, List<T>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = reader.GetString(0);
            if (!byTable.TryGetValue(table, out var rows))
            {
                byTable[table] = rows = [];
            }

            rows.Add(read(reader));
        }

        return byTable;
    }
}
