using System.Globalization;
using System.Text;

namespace Superset.Migrations.Autogenerate;

/// <summary>Writes a migration class the way a person would: FluentMigrator's fluent API, Up() and its exact reverse in Down().</summary>
public static class MigrationCodeWriter
{
    public const string DefaultNamespace = "Superset.Migrations.Migrations";

    public static string ClassName(long version, MigrationName name) => $"M{version}_{name.PascalCase}";

    public static string FileName(long version, MigrationName name) => $"{version}_{name.SnakeCase}.cs";

    /// <summary>The migration source: <paramref name="up"/> and <paramref name="down"/> are statement lines, already indented.</summary>
    public static string Write(long version, MigrationName name, IReadOnlyList<string> up, IReadOnlyList<string> down, string ns = DefaultNamespace)
    {
        var code = new StringBuilder();
        code.Append("using FluentMigrator;\n\n");
        code.Append(CultureInfo.InvariantCulture, $"namespace {ns};\n\n");
        code.Append(CultureInfo.InvariantCulture, $"[Migration({version}, {Literal(name.Description)})]\n");
        code.Append(CultureInfo.InvariantCulture, $"public sealed class {ClassName(version, name)} : Migration\n");
        code.Append("{\n");
        AppendMethod(code, "Up", up);
        code.Append('\n');
        AppendMethod(code, "Down", down);
        code.Append("}\n");
        return code.ToString();
    }

    /// <summary>A C# string literal.</summary>
    public static string Literal(string value)
    {
        var literal = new StringBuilder("\"");
        foreach (var c in value)
        {
            literal.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return literal.Append('"').ToString();
    }

    private static void AppendMethod(StringBuilder code, string name, IReadOnlyList<string> lines)
    {
        code.Append(CultureInfo.InvariantCulture, $"    public override void {name}()\n");
        code.Append("    {\n");
        foreach (var line in lines)
        {
            code.Append(line.Length == 0 ? "\n" : $"        {line}\n");
        }

        code.Append("    }\n");
    }
}
