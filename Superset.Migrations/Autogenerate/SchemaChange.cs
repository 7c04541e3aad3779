using Superset.Migrations.Lint;
using Superset.Migrations.Schema;

namespace Superset.Migrations.Autogenerate;

/// <summary>
/// One step from one schema to another. Every change knows its exact reverse, which is how <c>Down()</c> is written,
/// and which lint rules it trips (<see cref="Risks"/>), which the file and the console both say: the same rules
/// <c>lint</c> applies to the SQL, so there is one list of what is risky.
/// </summary>
public abstract record SchemaChange
{
    public abstract SchemaChange Inverse();

    /// <summary>The lint rules this change trips, each with what it does; none when it is harmless.</summary>
    public virtual IReadOnlyList<(LintRule Rule, string Message)> Risks => [];

    /// <summary>Why a person should look twice before running this change (the rules, their severity and fix); null when it is harmless.</summary>
    public string? Warning => Risks.Count == 0
        ? null
        : string.Join("; ", Risks.Select(r => $"{r.Message} ({r.Rule.Id}, {r.Rule.Severity.ToString().ToLowerInvariant()}): {r.Rule.Fix}"));

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

    public override IReadOnlyList<(LintRule Rule, string Message)> Risks => [(LintRules.BanDropTable, $"drops table {Table.Name} and every row in it")];

    public override string Describe() => $"drop table {Table.Name}";
}

public sealed record AddColumn(string Table, ColumnSchema Column, bool TableHasRows = true) : SchemaChange
{
    public override SchemaChange Inverse() => new DropColumn(Table, Column);

    public override IReadOnlyList<(LintRule Rule, string Message)> Risks =>
        !Column.Nullable && Column.Default is null && !Column.Identity && TableHasRows
            ? [(LintRules.AddingRequiredField, $"adds {Table}.{Column.Name} NOT NULL without a default")]
            : [];

    public override string Describe() => $"add column {Table}.{Column.Name}";
}

public sealed record DropColumn(string Table, ColumnSchema Column) : SchemaChange
{
    public override SchemaChange Inverse() => new AddColumn(Table, Column);

    public override IReadOnlyList<(LintRule Rule, string Message)> Risks => [(LintRules.BanDropColumn, $"drops column {Table}.{Column.Name} and its data")];

    public override string Describe() => $"drop column {Table}.{Column.Name}";
}

public sealed record AlterColumn(string Table, ColumnSchema From, ColumnSchema To) : SchemaChange
{
    public override SchemaChange Inverse() => new AlterColumn(Table, To, From);

    public override IReadOnlyList<(LintRule Rule, string Message)> Risks
    {
        get
        {
            var risks = new List<(LintRule, string)>();
            if (SqlStatementLinter.RewritesTable(From.Type, To.Type))
            {
                risks.Add((LintRules.ChangingColumnType, $"changes {Table}.{To.Name} from {From.Type} to {To.Type}"));
            }

            if (From.Nullable && !To.Nullable)
            {
                risks.Add((LintRules.AddingNotNullableField, $"sets {Table}.{To.Name} NOT NULL"));
            }

            return risks;
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

/// <param name="TableIsNew">True when the table is created in the same migration: no rows to validate then.</param>
public sealed record AddForeignKey(string Table, ForeignKeySchema Key, bool TableIsNew = false) : SchemaChange
{
    public override SchemaChange Inverse() => new DropForeignKey(Table, Key);

    public override IReadOnlyList<(LintRule Rule, string Message)> Risks =>
        TableIsNew ? [] : [(LintRules.ConstraintMissingNotValid, $"adds foreign key {Key.Name} on {Table} without NOT VALID")];

    public override string Describe() => $"add foreign key {Key.Name} on {Table}";
}

public sealed record DropForeignKey(string Table, ForeignKeySchema Key) : SchemaChange
{
    public override SchemaChange Inverse() => new AddForeignKey(Table, Key, TableIsNew: true);

    public override string Describe() => $"drop foreign key {Key.Name} on {Table}";
}

/// <param name="TableIsNew">True when the table is created in the same migration: no rows, nobody writing.</param>
public sealed record AddUnique(string Table, UniqueSchema Constraint, bool TableIsNew = false) : SchemaChange
{
    public override SchemaChange Inverse() => new DropUnique(Table, Constraint);

    public override IReadOnlyList<(LintRule Rule, string Message)> Risks =>
        TableIsNew ? [] : [(LintRules.DisallowedUniqueConstraint, $"adds unique constraint {Constraint.Name} on {Table} directly")];

    public override string Describe() => $"add unique constraint {Constraint.Name} on {Table}";
}

public sealed record DropUnique(string Table, UniqueSchema Constraint) : SchemaChange
{
    public override SchemaChange Inverse() => new AddUnique(Table, Constraint, TableIsNew: true);

    public override string Describe() => $"drop unique constraint {Constraint.Name} on {Table}";
}

/// <param name="TableIsNew">True when the table is created in the same migration: nothing to lock then.</param>
public sealed record AddIndex(string Table, IndexSchema Index, bool TableIsNew = false) : SchemaChange
{
    public override SchemaChange Inverse() => new DropIndex(Table, Index);

    public override IReadOnlyList<(LintRule Rule, string Message)> Risks =>
        TableIsNew ? [] : [(LintRules.RequireConcurrentIndexCreation, $"builds index {Index.Name} on {Table} without CONCURRENTLY")];

    public override string Describe() => $"add index {Index.Name} on {Table}";
}

public sealed record DropIndex(string Table, IndexSchema Index) : SchemaChange
{
    public override SchemaChange Inverse() => new AddIndex(Table, Index, TableIsNew: true);

    public override string Describe() => $"drop index {Index.Name} on {Table}";
}
