using Superset.Migrations.Schema;

namespace Superset.Migrations.Autogenerate;

/// <summary>
/// What was changed by hand: the differences between the schema the applied migrations produce and the live one,
/// each as a sentence that says which side has what.
/// </summary>
public static class SchemaDrift
{
    public static IReadOnlyList<string> Describe(DatabaseSchema expected, DatabaseSchema live) =>
        SchemaDiffer.Compare(expected, live).Changes.Select(Sentence).ToArray();

    private static string Sentence(SchemaChange change) => change switch
    {
        CreateTable c => $"table {c.Table.Name} exists, but no migration creates it",
        DropTable d => $"table {d.Table.Name} is missing, but a migration creates it",
        AddColumn a => $"column {a.Table}.{a.Column.Name} exists, but no migration adds it",
        DropColumn d => $"column {d.Table}.{d.Column.Name} is missing, but a migration adds it",
        AlterColumn a => $"column {a.Table}.{a.To.Name} is {Describe(a.To)}, but migrations make it {Describe(a.From)}",
        AddIndex a => $"index {a.Index.Name} on {a.Table} exists, but no migration creates it",
        DropIndex d => $"index {d.Index.Name} on {d.Table} is missing or different",
        AddUnique a => $"unique constraint {a.Constraint.Name} on {a.Table} exists, but no migration creates it",
        DropUnique d => $"unique constraint {d.Constraint.Name} on {d.Table} is missing or different",
        AddForeignKey a => $"foreign key {a.Key.Name} on {a.Table} exists, but no migration creates it",
        DropForeignKey d => $"foreign key {d.Key.Name} on {d.Table} is missing or different",
        AddPrimaryKey a => $"primary key {a.Key.Name} on {a.Table} exists, but no migration creates it",
        DropPrimaryKey d => $"primary key {d.Key.Name} on {d.Table} is missing or different",
        _ => change.Describe(),
    };

    private static string Describe(ColumnSchema column) =>
        $"{column.Type}{(column.Nullable ? " NULL" : " NOT NULL")}{(column.Default is null ? string.Empty : $" DEFAULT {column.Default}")}";
}
