namespace Superset.Migrations.Schema;

/// <summary>
/// A schema as migrations see it, the same whether it was read from model classes or from a database's catalog:
/// what the differ compares and the code writer writes.
/// </summary>
public sealed record DatabaseSchema(IReadOnlyList<TableSchema> Tables)
{
    public static DatabaseSchema Empty { get; } = new([]);

    public TableSchema? Find(string table) => Tables.FirstOrDefault(t => t.Name == table);
}

public sealed record TableSchema(
    string Name,
    IReadOnlyList<ColumnSchema> Columns,
    PrimaryKeySchema? PrimaryKey,
    IReadOnlyList<ForeignKeySchema> ForeignKeys,
    IReadOnlyList<UniqueSchema> UniqueConstraints,
    IReadOnlyList<IndexSchema> Indexes)
{
    public ColumnSchema? Find(string column) => Columns.FirstOrDefault(c => c.Name == column);

    /// <summary>
    /// Columns a validated <c>CHECK (column IS NOT NULL)</c> proves free of nulls (read from a database only): setting
    /// them NOT NULL scans nothing (PostgreSQL 12 and later use the check).
    /// </summary>
    public IReadOnlySet<string> NotNullChecked { get; init; } = new HashSet<string>();
}

/// <param name="Default">The server default as SQL, normalized (<see cref="DefaultSql.Normalize"/>); null for none.</param>
/// <param name="Identity">An identity column (<c>GENERATED ALWAYS AS IDENTITY</c>).</param>
public sealed record ColumnSchema(string Name, ColumnType Type, bool Nullable, string? Default, bool Identity);

public sealed record PrimaryKeySchema(string Name, IReadOnlyList<string> Columns);

public sealed record ForeignKeySchema(
    string Name,
    IReadOnlyList<string> Columns,
    string ReferencedTable,
    IReadOnlyList<string> ReferencedColumns,
    OnDelete OnDelete);

public sealed record UniqueSchema(string Name, IReadOnlyList<string> Columns);

/// <param name="Definition">For an index models cannot describe (an expression or a predicate): its definition.</param>
public sealed record IndexSchema(string Name, IReadOnlyList<string> Columns, bool Unique, string? Definition = null)
{
    /// <summary>Whether a model can describe this index (plain columns, no predicate).</summary>
    public bool IsPlain => Definition is null;
}
