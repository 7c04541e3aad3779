using Superset.Migrations.Schema;

namespace Superset.Migrations.Autogenerate;

/// <summary>The changes from one schema to another, in an order that always applies, and hints for a person.</summary>
/// <param name="Hints">Things the differ will not decide alone, such as a drop and an add that look like a rename.</param>
public sealed record SchemaDiff(IReadOnlyList<SchemaChange> Changes, IReadOnlyList<string> Hints)
{
    public bool IsEmpty => Changes.Count == 0;

    /// <summary>The exact reverse: each change inverted, in reverse order.</summary>
    public IReadOnlyList<SchemaChange> Reverse() => Changes.Reverse().Select(c => c.Inverse()).ToArray();
}

/// <summary>
/// Compares two schemas. Changes come in dependency order: foreign keys, indexes and constraints that go away are
/// dropped first, tables and columns change in between, and new constraints, indexes and foreign keys come last,
/// so that every table and column they name exists.
/// </summary>
public static class SchemaDiffer
{
    public static SchemaDiff Compare(DatabaseSchema from, DatabaseSchema to)
    {
        var drops = new List<SchemaChange>();
        var tableChanges = new List<SchemaChange>();
        var columnChanges = new List<SchemaChange>();
        var adds = new List<SchemaChange>();
        var foreignKeys = new List<SchemaChange>();
        var hints = new List<string>();

        var fromTables = from.Tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var toTables = to.Tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var tableNames = fromTables.Keys.Union(toTables.Keys).Order(StringComparer.Ordinal);

        foreach (var name in tableNames)
        {
            var before = fromTables.GetValueOrDefault(name);
            var after = toTables.GetValueOrDefault(name);
            if (after is null)
            {
                // Its foreign keys, indexes and constraints are dropped explicitly, so that Down recreates them.
                drops.AddRange(before!.ForeignKeys.Select(f => (SchemaChange)new DropForeignKey(name, f)));
                drops.AddRange(before.Indexes.Where(i => i.IsPlain).Select(i => (SchemaChange)new DropIndex(name, i)));
                drops.AddRange(before.UniqueConstraints.Select(u => (SchemaChange)new DropUnique(name, u)));
                tableChanges.Add(new DropTable(Bare(before)));
            }
            else if (before is null)
            {
                tableChanges.Add(new CreateTable(Bare(after)));
                adds.AddRange(after.UniqueConstraints.Select(u => (SchemaChange)new AddUnique(name, u, TableIsNew: true)));
                adds.AddRange(after.Indexes.Select(i => (SchemaChange)new AddIndex(name, i, TableIsNew: true)));
                foreignKeys.AddRange(after.ForeignKeys.Select(f => (SchemaChange)new AddForeignKey(name, f, TableIsNew: true)));
            }
            else
            {
                CompareTable(before, after, drops, columnChanges, adds, foreignKeys, hints);
            }
        }

        HintTableRenames(tableChanges, hints);
        var changes = drops.Concat(tableChanges.OrderBy(c => c is CreateTable ? 1 : 0)).Concat(columnChanges).Concat(adds).Concat(foreignKeys).ToArray();
        return new SchemaDiff(changes, hints);
    }

    public static bool SameColumn(ColumnSchema a, ColumnSchema b) =>
        a.Name == b.Name && a.Type.Sql == b.Type.Sql && a.Nullable == b.Nullable && a.Default == b.Default && a.Identity == b.Identity;

    private static void CompareTable(
        TableSchema before, TableSchema after,
        List<SchemaChange> drops, List<SchemaChange> columnChanges, List<SchemaChange> adds, List<SchemaChange> foreignKeys, List<string> hints)
    {
        var table = after.Name;

        // Foreign keys, unique constraints and indexes are matched by name; a changed one is dropped and re-added.
        Match(before.ForeignKeys, after.ForeignKeys, f => f.Name, SameForeignKey,
            f => drops.Add(new DropForeignKey(table, f)), f => foreignKeys.Add(new AddForeignKey(table, f)));
        Match(before.UniqueConstraints, after.UniqueConstraints, u => u.Name, (a, b) => a.Columns.SequenceEqual(b.Columns),
            u => drops.Add(new DropUnique(table, u)), u => adds.Add(new AddUnique(table, u)));
        foreach (var index in before.Indexes.Where(i => !i.IsPlain && after.Indexes.All(a => a.Name != i.Name)))
        {
            hints.Add($"Index {index.Name} on {table} ({index.Definition}) is an expression or partial index that models cannot describe: left as it is.");
        }

        Match(before.Indexes.Where(i => i.IsPlain).ToArray(), after.Indexes, i => i.Name, (a, b) => a.Unique == b.Unique && a.Columns.SequenceEqual(b.Columns),
            i => drops.Add(new DropIndex(table, i)), i => adds.Add(new AddIndex(table, i)));

        if (!SamePrimaryKey(before.PrimaryKey, after.PrimaryKey))
        {
            if (before.PrimaryKey is not null)
            {
                drops.Add(new DropPrimaryKey(table, before.PrimaryKey));
            }

            if (after.PrimaryKey is not null)
            {
                adds.Insert(0, new AddPrimaryKey(table, after.PrimaryKey));
            }
        }

        var added = new List<ColumnSchema>();
        var dropped = new List<ColumnSchema>();
        foreach (var column in after.Columns)
        {
            if (before.Find(column.Name) is not { } old)
            {
                added.Add(column);
                columnChanges.Add(new AddColumn(table, column));
            }
            else if (!SameColumn(old, column))
            {
                if (old.Identity != column.Identity)
                {
                    hints.Add($"{table}.{column.Name} {(column.Identity ? "becomes" : "stops being")} an identity column: autogenerate does not write that change; write it by hand.");
                }

                columnChanges.Add(new AlterColumn(table, old, column));
            }
        }

        foreach (var column in before.Columns.Where(c => after.Find(c.Name) is null))
        {
            dropped.Add(column);
            columnChanges.Add(new DropColumn(table, column));
        }

        foreach (var gone in dropped)
        {
            foreach (var candidate in added.Where(a => a.Type.Sql == gone.Type.Sql))
            {
                hints.Add($"Possible rename: {table}.{gone.Name} → {table}.{candidate.Name} (both {gone.Type}). If it is a rename, replace the drop and the add " +
                          $"with Rename.Column(\"{gone.Name}\").OnTable(\"{table}\").To(\"{candidate.Name}\") to keep the data.");
            }
        }
    }

    private static void HintTableRenames(List<SchemaChange> tableChanges, List<string> hints)
    {
        foreach (var dropped in tableChanges.OfType<DropTable>())
        {
            foreach (var created in tableChanges.OfType<CreateTable>().Where(c =>
                         c.Table.Columns.Select(k => (k.Name, k.Type.Sql)).SequenceEqual(dropped.Table.Columns.Select(k => (k.Name, k.Type.Sql)))))
            {
                hints.Add($"Possible rename: table {dropped.Table.Name} → {created.Table.Name} (same columns). If it is a rename, replace the drop and the " +
                          $"create with Rename.Table(\"{dropped.Table.Name}\").To(\"{created.Table.Name}\") to keep the data.");
            }
        }
    }

    private static void Match<T>(
        IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, string> name, Func<T, T, bool> same, Action<T> drop, Action<T> add)
    {
        foreach (var item in before)
        {
            var counterpart = after.FirstOrDefault(a => name(a) == name(item));
            if (counterpart is null || !same(item, counterpart))
            {
                drop(item);
            }
        }

        foreach (var item in after)
        {
            var counterpart = before.FirstOrDefault(b => name(b) == name(item));
            if (counterpart is null || !same(counterpart, item))
            {
                add(item);
            }
        }
    }

    private static bool SameForeignKey(ForeignKeySchema a, ForeignKeySchema b) =>
        a.Columns.SequenceEqual(b.Columns) && a.ReferencedTable == b.ReferencedTable &&
        a.ReferencedColumns.SequenceEqual(b.ReferencedColumns) && a.OnDelete == b.OnDelete;

    private static bool SamePrimaryKey(PrimaryKeySchema? a, PrimaryKeySchema? b) =>
        a is null ? b is null : b is not null && a.Name == b.Name && a.Columns.SequenceEqual(b.Columns);

    /// <summary>A table with only what CREATE TABLE writes (columns and primary key); the rest are separate changes.</summary>
    private static TableSchema Bare(TableSchema table) => table with { ForeignKeys = [], UniqueConstraints = [], Indexes = [] };
}
