using System.Text.RegularExpressions;
using Superset.Migrations.Engine;
using Superset.Migrations.Schema;

namespace Superset.Migrations.Lint;

/// <summary>
/// Lints the SQL a migration sends, statement by statement, as FluentMigrator's generator writes it and as people write
/// it in <c>Execute.Sql</c>: pure code, given the schema before the migration (what exists, with which types), so that
/// tables the migration creates itself are exempt from the rules about existing data.
/// </summary>
public static partial class SqlStatementLinter
{
    /// <param name="before">The schema before the migration; null when unknown (every table then counts as existing).</param>
    public static IReadOnlyList<LintFinding> Lint(KnownMigration migration, IReadOnlyList<string> statements, DatabaseSchema? before)
    {
        var findings = new List<LintFinding>();
        var created = new HashSet<string>(StringComparer.Ordinal);

        void Add(LintRule rule, string table, string message)
        {
            if (!rule.AboutExistingData || !created.Contains(table))
            {
                findings.Add(LintFinding.For(migration, rule, message));
            }
        }

        foreach (var raw in statements)
        {
            var statement = Normalize(raw);
            if (CreateTable().Match(statement) is { Success: true } createTable)
            {
                created.Add(Name(createTable.Groups["table"].Value));
            }
            else if (CreateIndex().Match(statement) is { Success: true } createIndex)
            {
                LintIndex(createIndex, "builds index", Add, migration);
            }
            else if (DropIndex().Match(statement) is { Success: true } dropIndex && dropIndex.Groups["concurrently"].Success && migration.Transactional)
            {
                Add(LintRules.ConcurrentlyInTransaction, "", $"drops index {Name(dropIndex.Groups["name"].Value)} CONCURRENTLY in a transaction");
            }
            else if (DropTable().Match(statement) is { Success: true } dropTable)
            {
                foreach (var table in SplitTopLevel(dropTable.Groups["tables"].Value).Select(Name))
                {
                    Add(LintRules.BanDropTable, table, $"drops table {table}");
                }
            }
            else if (AlterTable().Match(statement) is { Success: true } alterTable)
            {
                var table = Name(alterTable.Groups["table"].Value);
                foreach (var action in SplitTopLevel(alterTable.Groups["actions"].Value))
                {
                    LintAlterAction(table, action, before?.Find(table), Add);
                }
            }
        }

        return findings;
    }

    private static void LintIndex(Match index, string verb, Action<LintRule, string, string> add, KnownMigration migration)
    {
        var table = Name(index.Groups["table"].Value);
        var name = index.Groups["name"].Success ? Name(index.Groups["name"].Value) : "(unnamed)";
        if (index.Groups["concurrently"].Success)
        {
            if (migration.Transactional)
            {
                add(LintRules.ConcurrentlyInTransaction, "", $"{verb} {name} on {table} CONCURRENTLY in a transaction");
            }
        }
        else
        {
            add(LintRules.RequireConcurrentIndexCreation, table, $"{verb} {name} on {table} without CONCURRENTLY");
        }
    }

    private static void LintAlterAction(string table, string action, TableSchema? before, Action<LintRule, string, string> add)
    {
        if (AddColumn().Match(action) is { Success: true } addColumn)
        {
            var column = Name(addColumn.Groups["column"].Value);
            var definition = addColumn.Groups["definition"].Value;
            var defaultClause = DefaultClause().Match(definition);
            var hasDefault = defaultClause.Success;
            var generated = definition.Contains("GENERATED", StringComparison.OrdinalIgnoreCase) || SerialType().IsMatch(definition);
            if (NotNull().IsMatch(definition) && !hasDefault && !generated)
            {
                add(LintRules.AddingNotNullableField, table, $"adds {table}.{column} NOT NULL without a default");
            }

            if (hasDefault && VolatileFunction().Match(defaultClause.Groups["expression"].Value) is { Success: true } volatileCall)
            {
                add(LintRules.AddingVolatileDefault, table, $"adds {table}.{column} with the volatile default {volatileCall.Value.TrimEnd('(').Trim()}()");
            }
        }
        else if (AddConstraint().Match(action) is { Success: true } constraint)
        {
            var name = Name(constraint.Groups["name"].Value);
            var body = constraint.Groups["body"].Value;
            if ((body.StartsWith("FOREIGN KEY", StringComparison.OrdinalIgnoreCase) || body.StartsWith("CHECK", StringComparison.OrdinalIgnoreCase))
                && !body.Contains("NOT VALID", StringComparison.OrdinalIgnoreCase))
            {
                add(LintRules.ConstraintMissingNotValid, table, $"adds {(body.StartsWith("CHECK", StringComparison.OrdinalIgnoreCase) ? "check" : "foreign key")} {name} on {table} without NOT VALID");
            }
            else if (body.StartsWith("UNIQUE", StringComparison.OrdinalIgnoreCase) && !body.Contains("USING INDEX", StringComparison.OrdinalIgnoreCase))
            {
                add(LintRules.DisallowedUniqueConstraint, table, $"adds unique constraint {name} on {table} directly");
            }
        }
        else if (SetNotNull().Match(action) is { Success: true } setNotNull)
        {
            var column = Name(setNotNull.Groups["column"].Value);
            // FluentMigrator's Alter.Column says SET NOT NULL for a column that is NOT NULL already: that scans nothing.
            if (before?.Find(column) is not { Nullable: false })
            {
                add(LintRules.SettingNotNull, table, $"sets {table}.{column} NOT NULL");
            }
        }
        else if (AlterType().Match(action) is { Success: true } alterType)
        {
            var column = Name(alterType.Groups["column"].Value);
            var to = ColumnType.Parse(alterType.Groups["type"].Value);
            var from = before?.Find(column)?.Type;
            if (from is null || RewritesTable(from, to))
            {
                add(LintRules.ChangingColumnType, table, $"changes {table}.{column} {(from is null ? "" : $"from {from} ")}to {to}");
            }
        }
        else if (DropColumn().Match(action) is { Success: true } dropColumn)
        {
            var column = Name(dropColumn.Groups["column"].Value);
            add(LintRules.BanDropColumn, table, $"drops column {table}.{column}");
        }
        else if (RenameColumn().Match(action) is { Success: true } renameColumn)
        {
            add(LintRules.RenamingColumn, table, $"renames {table}.{Name(renameColumn.Groups["from"].Value)} to {Name(renameColumn.Groups["to"].Value)}");
        }
        else if (RenameTable().Match(action) is { Success: true } renameTable)
        {
            add(LintRules.RenamingTable, table, $"renames table {table} to {Name(renameTable.Groups["to"].Value)}");
        }
    }

    /// <summary>
    /// Whether PostgreSQL rewrites the table for this change: not for the same type, a longer varchar, varchar to text,
    /// or more precision for a numeric of the same scale (binary coercible, or only a wider check).
    /// </summary>
    public static bool RewritesTable(ColumnType from, ColumnType to) => (from.Name, to.Name) switch
    {
        _ when from.Sql == to.Sql => false,
        ("varchar", "varchar") => from.Length is { } a && (to.Length is null || to.Length < a),
        ("varchar", "text") or ("char", "text") => false,
        ("numeric", "numeric") => to.Precision is { } p && (from.Precision is null || p < from.Precision || to.Scale != from.Scale),
        _ => true,
    };

    /// <summary>One line, no trailing semicolon, comments gone.</summary>
    private static string Normalize(string sql) =>
        Whitespace().Replace(LineComment().Replace(sql, " "), " ").Trim().TrimEnd(';').Trim();

    /// <summary>An identifier as written (quoted or not, maybe with its schema) to its bare name.</summary>
    private static string Name(string identifier)
    {
        var last = identifier.Trim();
        var dot = LastDotOutsideQuotes(last);
        if (dot >= 0)
        {
            last = last[(dot + 1)..];
        }

        return last.StartsWith('"') && last.EndsWith('"') && last.Length >= 2 ? last[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : last.ToLowerInvariant();
    }

    private static int LastDotOutsideQuotes(string identifier)
    {
        var quoted = false;
        var dot = -1;
        for (var i = 0; i < identifier.Length; i++)
        {
            if (identifier[i] == '"')
            {
                quoted = !quoted;
            }
            else if (identifier[i] == '.' && !quoted)
            {
                dot = i;
            }
        }

        return dot;
    }

    /// <summary>Splits on commas that are outside parentheses and quotes.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var quote = '\0';
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                yield return text[start..i].Trim();
                start = i + 1;
            }
        }

        yield return text[start..].Trim();
    }

    private const string Identifier = """(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)""";
    private const string QualifiedName = $@"(?:{Identifier}\.)?{Identifier}";

    [GeneratedRegex($@"^CREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<table>{QualifiedName})", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex($@"^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?<concurrently>CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:(?<name>{QualifiedName})\s+)?ON\s+(?:ONLY\s+)?(?<table>{QualifiedName})", RegexOptions.IgnoreCase)]
    private static partial Regex CreateIndex();

    [GeneratedRegex($@"^DROP\s+INDEX\s+(?<concurrently>CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?(?<name>{QualifiedName})", RegexOptions.IgnoreCase)]
    private static partial Regex DropIndex();

    [GeneratedRegex(@"^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?<tables>.+?)(?:\s+(?:CASCADE|RESTRICT))?$", RegexOptions.IgnoreCase)]
    private static partial Regex DropTable();

    [GeneratedRegex($@"^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?<table>{QualifiedName})\s+(?<actions>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex AlterTable();

    [GeneratedRegex($@"^ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?!CONSTRAINT\b)(?<column>{Identifier})\s+(?<definition>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex AddColumn();

    [GeneratedRegex($@"^ADD\s+CONSTRAINT\s+(?<name>{Identifier})\s+(?<body>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex AddConstraint();

    [GeneratedRegex($@"^ALTER\s+(?:COLUMN\s+)?(?<column>{Identifier})\s+SET\s+NOT\s+NULL$", RegexOptions.IgnoreCase)]
    private static partial Regex SetNotNull();

    [GeneratedRegex($@"^ALTER\s+(?:COLUMN\s+)?(?<column>{Identifier})\s+(?:SET\s+DATA\s+)?TYPE\s+(?<type>.+?)(?:\s+(?:USING|COLLATE)\s+.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex AlterType();

    [GeneratedRegex($@"^DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?(?!CONSTRAINT\b)(?<column>{Identifier})(?:\s+(?:CASCADE|RESTRICT))?$", RegexOptions.IgnoreCase)]
    private static partial Regex DropColumn();

    [GeneratedRegex($@"^RENAME\s+(?:COLUMN\s+)?(?!TO\b)(?<from>{Identifier})\s+TO\s+(?<to>{Identifier})$", RegexOptions.IgnoreCase)]
    private static partial Regex RenameColumn();

    [GeneratedRegex($@"^RENAME\s+TO\s+(?<to>{Identifier})$", RegexOptions.IgnoreCase)]
    private static partial Regex RenameTable();

    [GeneratedRegex(@"\bNOT\s+NULL\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotNull();

    [GeneratedRegex(@"\bDEFAULT\s+(?<expression>.+?)(?=\s+(?:NOT\s+NULL|NULL|CONSTRAINT|CHECK|UNIQUE|PRIMARY|REFERENCES|GENERATED)\b|$)", RegexOptions.IgnoreCase)]
    private static partial Regex DefaultClause();

    [GeneratedRegex(@"\b(?:serial|bigserial|smallserial)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SerialType();

    /// <summary>Functions whose value differs row by row: a default of one makes ADD COLUMN rewrite the table.</summary>
    [GeneratedRegex(@"\b(?:random|clock_timestamp|timeofday|gen_random_uuid|uuid_generate_v[14]|nextval|txid_current)\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex VolatileFunction();

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
