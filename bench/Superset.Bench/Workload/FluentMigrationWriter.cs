using System.Text;

namespace Superset.Bench.Workload;

/// <summary>
/// Writes each step as a FluentMigrator migration class, the way a developer would with the fluent API, with a
/// <c>Down</c> that reverses it exactly. Names match the workload's SQL (primary keys <c>&lt;table&gt;_pkey</c>) so
/// that the schemas can be compared.
/// </summary>
internal static class FluentMigrationWriter
{
    public static string Write(IEnumerable<OpsStep> steps)
    {
        var source = new StringBuilder("using FluentMigrator;\nnamespace Bench.Workload;\n");
        foreach (var step in steps)
        {
            source.Append($$"""

                [Migration({{step.Version}}, "{{step.Description}}")]
                public sealed class M{{step.Version}} : Migration
                {
                    public override void Up() { {{Up(step)}} }
                    public override void Down() { {{Down(step)}} }
                }

                """);
        }

        return source.ToString();
    }

    private static string Up(OpsStep step) => step.Op switch
    {
        "create_table" => $"Create.Table(\"{step.Table}\"){string.Concat(step.Columns.Select(c => Column(step, c)))};",
        "add_column" => $"Alter.Table(\"{step.Table}\").AddColumn(\"{step.Column!.Name}\"){Type(step.Column.Type)}{Nullability(step.Column)};",
        "drop_column" => $"Delete.Column(\"{step.Column!.Name}\").FromTable(\"{step.Table}\");",
        "create_index" => $"Create.Index(\"{step.Name}\").OnTable(\"{step.Table}\"){string.Concat(step.Names.Select(c => $".OnColumn(\"{c}\").Ascending()"))};",
        // FluentMigrator's Alter.Column restates the whole column (type included); the step only adds NOT NULL.
        "set_not_null" => $"Execute.Sql(\"ALTER TABLE {step.Table} ALTER COLUMN {step.Column!.Name} SET NOT NULL\");",
        "add_unique" => $"Create.UniqueConstraint(\"{step.Name}\").OnTable(\"{step.Table}\").Columns({string.Join(", ", step.Names.Select(c => $"\"{c}\""))});",
        _ => throw new InvalidDataException($"step {step.Version}: unknown op '{step.Op}'"),
    };

    private static string Down(OpsStep step) => step.Op switch
    {
        "create_table" => $"Delete.Table(\"{step.Table}\");",
        "add_column" => $"Delete.Column(\"{step.Column!.Name}\").FromTable(\"{step.Table}\");",
        "drop_column" => $"Alter.Table(\"{step.Table}\").AddColumn(\"{step.Column!.Name}\"){Type(step.Column.Type)}{Nullability(step.Column)};",
        "create_index" => $"Delete.Index(\"{step.Name}\").OnTable(\"{step.Table}\");",
        "set_not_null" => $"Execute.Sql(\"ALTER TABLE {step.Table} ALTER COLUMN {step.Column!.Name} DROP NOT NULL\");",
        "add_unique" => $"Delete.UniqueConstraint(\"{step.Name}\").FromTable(\"{step.Table}\");",
        _ => throw new InvalidDataException($"step {step.Version}: unknown op '{step.Op}'"),
    };

    private static string Column(OpsStep step, OpsColumn column)
    {
        var text = new StringBuilder($"\n            .WithColumn(\"{column.Name}\")");
        if (column.Type == "serial")
        {
            // serial, as the SQL says: an integer with its own sequence (Identity() would be GENERATED … AS IDENTITY).
            text.Append(".AsCustom(\"serial\")");
        }
        else
        {
            text.Append(Type(column.Type));
        }

        text.Append(Nullability(column));
        if (column.PrimaryKey)
        {
            text.Append($".PrimaryKey(\"{step.Table}_pkey\")");
        }

        if (column.Default is { } value)
        {
            text.Append($".WithDefaultValue(RawSql.Insert(\"{value}\"))");
        }

        if (step.ForeignKey is { } fk && fk.Column == column.Name)
        {
            text.Append($".ForeignKey(\"fk_{step.Table}_{fk.References}\", \"{fk.References}\", \"id\")");
        }

        return text.ToString();
    }

    private static string Nullability(OpsColumn column) => column.Nullable && !column.PrimaryKey ? ".Nullable()" : ".NotNullable()";

    private static string Type(string type) => type switch
    {
        "integer" => ".AsInt32()",
        "boolean" => ".AsBoolean()",
        "text" => ".AsString()",
        "timestamp" => ".AsDateTime()",
        "varchar(100)" => ".AsString(100)",
        _ => $".AsCustom(\"{type}\")",
    };
}
