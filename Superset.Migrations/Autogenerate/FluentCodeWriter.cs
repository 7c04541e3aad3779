using System.Globalization;
using Superset.Migrations.Connection;
using Superset.Migrations.Schema;

namespace Superset.Migrations.Autogenerate;

/// <summary>
/// Writes schema changes as FluentMigrator statements, one per change, the way a person writes them:
/// <c>Create.Table("tags").WithColumn("id").AsInt32()…</c>. A change with a warning gets a comment above it.
/// </summary>
public static class FluentCodeWriter
{
    /// <summary>The statement lines of a method body (without the method's indentation).</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<SchemaChange> changes)
    {
        var lines = new List<string>();
        var previousWasBlock = false;
        foreach (var change in changes)
        {
            var statement = Statement(change);
            var isBlock = statement.Count > 1 || change.Warning is not null;
            if (lines.Count > 0 && (isBlock || previousWasBlock))
            {
                lines.Add(string.Empty);
            }

            if (change.Warning is { } warning)
            {
                lines.Add($"// WARNING: {warning}.");
            }

            lines.AddRange(statement);
            previousWasBlock = isBlock;
        }

        return lines;
    }

    private static List<string> Statement(SchemaChange change) => change switch
    {
        CreateTable c => CreateTableStatement(c.Table),
        DropTable d => [$"Delete.Table({Quote(d.Table.Name)});"],
        AddColumn a => [$"Alter.Table({Quote(a.Table)}).AddColumn({Quote(a.Column.Name)}){Definition(a.Column, primaryKey: null)};"],
        DropColumn d => [$"Delete.Column({Quote(d.Column.Name)}).FromTable({Quote(d.Table)});"],
        AlterColumn a => AlterColumnStatements(a),
        AddPrimaryKey a => [$"Create.PrimaryKey({Quote(a.Key.Name)}).OnTable({Quote(a.Table)}).Columns({List(a.Key.Columns)});"],
        DropPrimaryKey d => [$"Delete.PrimaryKey({Quote(d.Key.Name)}).FromTable({Quote(d.Table)});"],
        AddForeignKey a => [ForeignKeyStatement(a.Table, a.Key)],
        DropForeignKey d => [$"Delete.ForeignKey({Quote(d.Key.Name)}).OnTable({Quote(d.Table)});"],
        AddUnique a => [$"Create.UniqueConstraint({Quote(a.Constraint.Name)}).OnTable({Quote(a.Table)}).Columns({List(a.Constraint.Columns)});"],
        DropUnique d => [$"Delete.UniqueConstraint({Quote(d.Constraint.Name)}).FromTable({Quote(d.Table)});"],
        AddIndex a => [IndexStatement(a.Table, a.Index)],
        DropIndex d => [$"Delete.Index({Quote(d.Index.Name)}).OnTable({Quote(d.Table)});"],
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, "No code for this change."),
    };

    private static List<string> CreateTableStatement(TableSchema table)
    {
        var lines = new List<string> { $"Create.Table({Quote(table.Name)})" };
        foreach (var column in table.Columns)
        {
            lines.Add($"    .WithColumn({Quote(column.Name)}){Definition(column, table.PrimaryKey)}");
        }

        lines[^1] += ";";
        return lines;
    }

    private static List<string> AlterColumnStatements(AlterColumn change)
    {
        var (from, to) = (change.From, change.To);
        var statements = new List<string>();
        if (from.Type.Sql != to.Type.Sql || from.Nullable != to.Nullable || (to.Default is not null && to.Default != from.Default))
        {
            // FluentMigrator alters type and nullability together; a new default comes as its own SET DEFAULT.
            var definition = Type(to.Type) + (to.Nullable ? ".Nullable()" : ".NotNullable()") +
                             (to.Default is not null && to.Default != from.Default ? DefaultCall(to.Default) : string.Empty);
            statements.Add($"Alter.Column({Quote(to.Name)}).OnTable({Quote(change.Table)}){definition};");
        }

        if (to.Default is null && from.Default is not null)
        {
            statements.Add($"Delete.DefaultConstraint().OnTable({Quote(change.Table)}).OnColumn({Quote(to.Name)});");
        }

        return statements;
    }

    private static string Definition(ColumnSchema column, PrimaryKeySchema? primaryKey)
    {
        var code = Type(column.Type) + (column.Nullable ? ".Nullable()" : ".NotNullable()");
        if (primaryKey is not null && primaryKey.Columns.Contains(column.Name))
        {
            code += $".PrimaryKey({Quote(primaryKey.Name)})";
        }

        if (column.Identity)
        {
            code += ".Identity()";
        }

        return column.Default is null ? code : code + DefaultCall(column.Default);
    }

    private static string DefaultCall(string sql) =>
        sql == Sql.Now ? ".WithDefault(SystemMethods.CurrentDateTime)"
        : IsPlainStringLiteral(sql) ? $".WithDefaultValue({Quote(sql[1..^1].Replace("''", "'", StringComparison.Ordinal))})"
        : $".WithDefaultValue(RawSql.Insert({Quote(sql)}))";

    private static bool IsPlainStringLiteral(string sql) =>
        sql.Length >= 2 && sql[0] == '\'' && sql[^1] == '\'' && !sql[1..^1].Replace("''", string.Empty, StringComparison.Ordinal).Contains('\'');

    private static string Type(ColumnType type) => type.Name switch
    {
        "integer" => ".AsInt32()",
        "bigint" => ".AsInt64()",
        "smallint" => ".AsInt16()",
        "boolean" => ".AsBoolean()",
        "text" => ".AsString()",
        "varchar" when type.Length is { } length => $".AsString({length})",
        "timestamp" => ".AsDateTime()",
        "timestamptz" => ".AsDateTimeOffset()",
        "date" => ".AsDate()",
        "time" => ".AsTime()",
        "numeric" when type.Precision is { } precision => $".AsDecimal({precision}, {(type.Scale ?? 0).ToString(CultureInfo.InvariantCulture)})",
        "double precision" => ".AsDouble()",
        "real" => ".AsFloat()",
        "uuid" => ".AsGuid()",
        "bytea" => ".AsBinary()",
        _ => $".AsCustom({Quote(type.Sql)})",
    };

    private static string ForeignKeyStatement(string table, ForeignKeySchema key)
    {
        if (key.OnDelete == OnDelete.Restrict)
        {
            // System.Data.Rule has no RESTRICT, so FluentMigrator cannot say it: the SQL says it instead.
            var sql = $"ALTER TABLE {Identifiers.Quote("public")}.{Identifiers.Quote(table)} ADD CONSTRAINT {Identifiers.Quote(key.Name)} " +
                      $"FOREIGN KEY ({string.Join(", ", key.Columns.Select(Identifiers.Quote))}) " +
                      $"REFERENCES {Identifiers.Quote("public")}.{Identifiers.Quote(key.ReferencedTable)} ({string.Join(", ", key.ReferencedColumns.Select(Identifiers.Quote))}) ON DELETE RESTRICT";
            return $"Execute.Sql({Quote(sql)});";
        }

        var code = $"Create.ForeignKey({Quote(key.Name)}).FromTable({Quote(table)}).ForeignColumns({List(key.Columns)})" +
                   $".ToTable({Quote(key.ReferencedTable)}).PrimaryColumns({List(key.ReferencedColumns)})";
        return code + key.OnDelete switch
        {
            OnDelete.Cascade => ".OnDelete(System.Data.Rule.Cascade);",
            OnDelete.SetNull => ".OnDelete(System.Data.Rule.SetNull);",
            _ => ";",
        };
    }

    private static string IndexStatement(string table, IndexSchema index)
    {
        var code = $"Create.Index({Quote(index.Name)}).OnTable({Quote(table)})" + string.Concat(index.Columns.Select(c => $".OnColumn({Quote(c)}).Ascending()"));
        return code + (index.Unique ? ".WithOptions().Unique();" : ";");
    }

    private static string List(IEnumerable<string> names) => string.Join(", ", names.Select(Quote));

    private static string Quote(string value) => MigrationCodeWriter.Literal(value);
}
