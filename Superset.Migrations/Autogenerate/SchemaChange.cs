using Superset.Migrations.Schema;

namespace Superset.Migrations.Autogenerate;

/// <summary>
/// One step from one schema to another. Every change knows its exact reverse, which is how <c>Down()</c> is written,
/// and whether it can lose data or lock a table (<see cref="Warning"/>), which the file and the console both say.
/// </summary>
public abstract record SchemaChange
{
    public abstract SchemaChange Inverse();

    /// <summary>Why a person should look twice before running this change; null when it is harmless.</summary>
    public virtual string? Warning => null;

    /// <summary>A short account for messages: <c>add column blog_posts.summary</c>.</summary>
    public abstract string Describe();
}

public sealed record CreateTable(TableSchema Table) : SchemaChange
{
    public override SchemaChange Inverse() => new DropTable(Table);

    public override string Describe() => $"create table {Table.Name}";
}

public sealed record DropTable(TableSchema Table) : SchemaChange
{
    public override SchemaChange Inverse() => new CreateTable(Table);

    public override string? Warning => $"drops table {Table.Name} and every row in it";

    public override string Describe() => $"drop table {Table.Name}";
}

public sealed record AddColumn(string Table, ColumnSchema Column, bool TableHasRows = true) : SchemaChange
{
    public override SchemaChange Inverse() => new DropColumn(Table, Column);

    public override string? Warning =>
        !Column.Nullable && Column.Default is null && !Column.Identity && TableHasRows
            ? $"adds {Table}.{Column.Name} NOT NULL without a default: this fails when {Table} has rows (add a default, or add it nullable, fill it, then set NOT NULL)"
            : null;

    public override string Describe() => $"add column {Table}.{Column.Name}";
}

public sealed record DropColumn(string Table, ColumnSchema Column) : SchemaChange
{
    public override SchemaChange Inverse() => new AddColumn(Table, Column);

    public override string? Warning => $"drops column {Table}.{Column.Name} and its data";

    public override string Describe() => $"drop column {Table}.{Column.Name}";
}

public sealed record AlterColumn(string Table, ColumnSchema From, ColumnSchema To) : SchemaChange
{
    public override SchemaChange Inverse() => new AlterColumn(Table, To, From);

    public override string? Warning
    {
        get
        {
            var warnings = new List<string>();
            if (To.Type.NarrowsFrom(From.Type))
            {
                warnings.Add($"changes {Table}.{To.Name} from {From.Type} to {To.Type}, which can truncate or reject existing values");
            }

            if (From.Nullable && !To.Nullable)
            {
                warnings.Add($"sets {Table}.{To.Name} NOT NULL, which fails while any row holds NULL there");
            }

            return warnings.Count == 0 ? null : string.Join("; ", warnings);
        }
    }

    public override string Describe() => $"alter column {Table}.{To.Name}";
}

public sealed record AddPrimaryKey(string Table, PrimaryKeySchema Key) : SchemaChange
{
    public override SchemaChange Inverse() => new DropPrimaryKey(Table, Key);

    public override string Describe() => $"add primary key {Key.Name} on {Table}";
}

public sealed record DropPrimaryKey(string Table, PrimaryKeySchema Key) : SchemaChange
{
    public override SchemaChange Inverse() => new AddPrimaryKey(Table, Key);

    public override string Describe() => $"drop primary key {Key.Name} on {Table}";
}

public sealed record AddForeignKey(string Table, ForeignKeySchema Key) : SchemaChange
{
    public override SchemaChange Inverse() => new DropForeignKey(Table, Key);

    public override string Describe() => $"add foreign key {Key.Name} on {Table}";
}

public sealed record DropForeignKey(string Table, ForeignKeySchema Key) : SchemaChange
{
    public override SchemaChange Inverse() => new AddForeignKey(Table, Key);

    public override string Describe() => $"drop foreign key {Key.Name} on {Table}";
}

public sealed record AddUnique(string Table, UniqueSchema Constraint) : SchemaChange
{
    public override SchemaChange Inverse() => new DropUnique(Table, Constraint);

    public override string Describe() => $"add unique constraint {Constraint.Name} on {Table}";
}

public sealed record DropUnique(string Table, UniqueSchema Constraint) : SchemaChange
{
    public override SchemaChange Inverse() => new AddUnique(Table, Constraint);

    public override string Describe() => $"drop unique constraint {Constraint.Name} on {Table}";
}

/// <param name="TableIsNew">True when the table is created in the same migration: nothing to lock then.</param>
public sealed record AddIndex(string Table, IndexSchema Index, bool TableIsNew = false) : SchemaChange
{
    public override SchemaChange Inverse() => new DropIndex(Table, Index);

    public override string? Warning => TableIsNew
        ? null
        : $"builds index {Index.Name} without CONCURRENTLY, which blocks writes to {Table} while it builds; for a big live table, " +
          "move it to its own migration with TransactionBehavior.None and Execute.Sql(\"CREATE INDEX CONCURRENTLY ...\")";

    public override string Describe() => $"add index {Index.Name} on {Table}";
}

public sealed record DropIndex(string Table, IndexSchema Index) : SchemaChange
{
    public override SchemaChange Inverse() => new AddIndex(Table, Index, TableIsNew: true);

    public override string Describe() => $"drop index {Index.Name} on {Table}";
}
