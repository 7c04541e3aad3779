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
    /// <summary>The rules whose findings already say that a statement rewrites its table.</summary>
    private static readonly LintRule[] RewriteRules =
        [LintRules.ChangingColumnType, LintRules.AddingFieldWithDefault, LintRules.AddingStoredGeneratedColumn, LintRules.AddingAutoIncrementColumn];

    /// <param name="before">The schema before the migration; null when unknown (every table then counts as existing).</param>
    /// <param name="observed">
    /// What each statement was seen to do on the throwaway database (same order as <paramref name="statements"/>); null
    /// when it could not be watched (a migration outside a transaction, or one that asks the live database).
    /// </param>
    public static IReadOnlyList<LintFinding> Lint(
        KnownMigration migration, IReadOnlyList<string> statements, DatabaseSchema? before, IReadOnlyList<StatementEffects>? observed = null)
    {
        var findings = new List<LintFinding>();
        var created = new HashSet<string>(StringComparer.Ordinal);
        var addedNotValid = new HashSet<string>(StringComparer.Ordinal);
        var notNullChecks = new Dictionary<string, string>(StringComparer.Ordinal);
        var provenNotNull = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < statements.Count; i++)
        {
            var effects = observed is not null && i < observed.Count ? observed[i] : null;
            var first = findings.Count;

            void Add(LintRule rule, string table, string message)
            {
                if (!rule.AboutExistingData || !created.Contains(table))
                {
                    var seen = effects?.Describe(table);
                    findings.Add(LintFinding.For(migration, rule, seen is null ? message : $"{message}: {seen}"));
                }
            }

            foreach (var what in SqlText.ClusterStatements.Find(statements[i]).Where(what => what != "DROP DATABASE"))
            {
                Add(LintRules.BanServerWideStatement, "", $"runs {what}, which acts on the whole server (not run on lint's throwaway database)");
            }

            var context = new StatementContext(migration, before, effects, created, addedNotValid, Add) { NotNullChecks = notNullChecks, ProvenNotNull = provenNotNull };
            LintStatement(Normalize(statements[i]), context);

            // What the server showed and no pattern named: a rewrite is a rewrite, whatever the statement.
            if (effects is not null && !findings.Skip(first).Any(f => RewriteRules.Contains(f.Rule)))
            {
                foreach (var table in effects.Rewritten.Where(t => !created.Contains(t)).Order(StringComparer.Ordinal))
                {
                    Add(LintRules.TableRewrite, table, $"rewrites table {table}");
                }
            }
        }

        return findings;
    }

    /// <summary>What the rules of one statement need: the migration, the schema before it, what was seen, what it made so far.</summary>
    private sealed record StatementContext(
        KnownMigration Migration, DatabaseSchema? Before, StatementEffects? Effects, HashSet<string> Created, HashSet<string> AddedNotValid,
        Action<LintRule, string, string> Add)
    {
        public bool Rewrote(string table) => Effects?.Rewritten.Contains(table) ?? false;

        /// <summary>Constraint name → "table.column", for the <c>CHECK (column IS NOT NULL)</c> added in this migration.</summary>
        public Dictionary<string, string> NotNullChecks { get; init; } = [];

        /// <summary>"table.column" proven free of nulls by a check validated in this migration, before the statement.</summary>
        public HashSet<string> ProvenNotNull { get; init; } = [];

        /// <summary>The table an index belongs to, when it existed before the migration; null otherwise.</summary>
        public string? TableOfIndex(string index) => Before?.Tables.FirstOrDefault(t => t.Indexes.Any(x => x.Name == index) || t.PrimaryKey?.Name == index
            || t.UniqueConstraints.Any(u => u.Name == index))?.Name;
    }

    private static void LintStatement(string statement, StatementContext context)
    {
        var add = context.Add;
        if (CreateTable().Match(statement) is { Success: true } createTable)
        {
            context.Created.Add(Name(createTable.Groups["table"].Value));
        }
        else if (CreateIndex().Match(statement) is { Success: true } createIndex)
        {
            LintIndex(createIndex, "builds index", add, context.Migration);
        }
        else if (DropIndex().Match(statement) is { Success: true } dropIndex)
        {
            var name = Name(dropIndex.Groups["name"].Value);
            if (dropIndex.Groups["concurrently"].Success)
            {
                if (context.Migration.Transactional)
                {
                    add(LintRules.BanConcurrentIndexCreationInTransaction, "", $"drops index {name} CONCURRENTLY in a transaction");
                }
            }
            else if (context.TableOfIndex(name) is var table && (table is not null || context.Before is null))
            {
                // An index made in the same migration is not in the schema before it: dropping it locks nothing in use.
                table ??= "";
                add(LintRules.RequireConcurrentIndexDeletion, table, $"drops index {name}{(table.Length > 0 ? $" on {table}" : "")} without CONCURRENTLY");
            }
        }
        else if (Reindex().Match(statement) is { Success: true } reindex)
        {
            var target = Name(reindex.Groups["name"].Value);
            if (reindex.Groups["concurrently"].Success)
            {
                if (context.Migration.Transactional)
                {
                    add(LintRules.BanConcurrentIndexCreationInTransaction, "", $"rebuilds {target} CONCURRENTLY in a transaction");
                }
            }
            else
            {
                var kind = reindex.Groups["kind"].Value.ToUpperInvariant();
                var table = kind == "TABLE" ? target : context.TableOfIndex(target) ?? "";
                add(LintRules.RequireConcurrentReindex, table, $"rebuilds {kind.ToLowerInvariant()} {target} without CONCURRENTLY");
            }
        }
        else if (DropTable().Match(statement) is { Success: true } dropTable)
        {
            foreach (var table in SplitTopLevel(dropTable.Groups["tables"].Value).Select(Name))
            {
                add(LintRules.BanDropTable, table, $"drops table {table}");
            }
        }
        else if (DropDatabase().Match(statement) is { Success: true } dropDatabase)
        {
            add(LintRules.BanDropDatabase, "", $"drops database {Name(dropDatabase.Groups["name"].Value)}");
        }
        else if (AlterDomainAddConstraint().Match(statement) is { Success: true } domain && !NotValid().IsMatch(statement))
        {
            add(LintRules.BanAlterDomainWithAddConstraint, "", $"adds a constraint to domain {Name(domain.Groups["domain"].Value)}");
        }
        else if (RenameEnumValue().Match(statement) is { Success: true } enumValue)
        {
            add(LintRules.RenamingEnumValue, "", $"renames value {enumValue.Groups["from"].Value} of enum {Name(enumValue.Groups["type"].Value)}");
        }
        else if (RenameSchema().Match(statement) is { Success: true } schema)
        {
            add(LintRules.RenamingSchema, "", $"renames schema {Name(schema.Groups["schema"].Value)} to {Name(schema.Groups["to"].Value)}");
        }
        else if (AlterTable().Match(statement) is { Success: true } alterTable)
        {
            var table = Name(alterTable.Groups["table"].Value);
            foreach (var action in SplitTopLevel(alterTable.Groups["actions"].Value))
            {
                LintAlterAction(table, action, context.Before?.Find(table), context);
            }
        }
    }

    private static void LintIndex(Match index, string verb, Action<LintRule, string, string> add, KnownMigration migration)
    {
        var table = Name(index.Groups["table"].Value);
        var name = index.Groups["name"].Success ? Name(index.Groups["name"].Value) : "(unnamed)";
        if (index.Groups["concurrently"].Success)
        {
            if (migration.Transactional)
            {
                add(LintRules.BanConcurrentIndexCreationInTransaction, "", $"{verb} {name} on {table} CONCURRENTLY in a transaction");
            }
        }
        else
        {
            add(LintRules.RequireConcurrentIndexCreation, table, $"{verb} {name} on {table} without CONCURRENTLY");
        }
    }

    private static void LintAlterAction(string table, string action, TableSchema? before, StatementContext context)
    {
        var add = context.Add;
        if (AddColumn().Match(action) is { Success: true } addColumn)
        {
            LintAddColumn(table, Name(addColumn.Groups["column"].Value), addColumn.Groups["definition"].Value, context);
        }
        else if (AddConstraint().Match(action) is { Success: true } constraint)
        {
            var name = constraint.Groups["name"].Success ? Name(constraint.Groups["name"].Value) : "(unnamed)";
            var body = constraint.Groups["body"].Value;
            var notValid = NotValid().IsMatch(body);
            var usingIndex = body.Contains("USING INDEX", StringComparison.OrdinalIgnoreCase);
            if (StartsWith(body, "FOREIGN KEY") || StartsWith(body, "CHECK"))
            {
                if (notValid)
                {
                    context.AddedNotValid.Add(name);
                }
                else
                {
                    add(LintRules.ConstraintMissingNotValid, table, $"adds {(StartsWith(body, "CHECK") ? "check" : "foreign key")} {name} on {table} without NOT VALID");
                }

                if (NotNullCheck().Match(body) is { Success: true } notNull)
                {
                    context.NotNullChecks[name] = $"{table}.{Name(notNull.Groups["column"].Value)}";
                    if (!notValid)
                    {
                        context.ProvenNotNull.Add(context.NotNullChecks[name]);
                    }
                }
            }
            else if (StartsWith(body, "UNIQUE") && !usingIndex)
            {
                add(LintRules.DisallowedUniqueConstraint, table, $"adds unique constraint {name} on {table} directly");
            }
            else if (StartsWith(body, "PRIMARY KEY") && !usingIndex)
            {
                add(LintRules.AddingSerialPrimaryKeyField, table, $"adds primary key {name} on {table} directly");
            }
            else if (StartsWith(body, "EXCLUDE"))
            {
                add(LintRules.AddingExclusionConstraint, table, $"adds exclusion constraint {name} on {table}");
            }
        }
        else if (ValidateConstraint().Match(action) is { Success: true } validate)
        {
            var name = Name(validate.Groups["name"].Value);
            if (context.NotNullChecks.TryGetValue(name, out var provenColumn))
            {
                context.ProvenNotNull.Add(provenColumn);
            }

            if (context.Migration.Transactional && context.AddedNotValid.Contains(name))
            {
                add(LintRules.ConstraintMissingNotValid, table,
                    $"validates {name} on {table} in the transaction that added it NOT VALID, which holds the lock while it checks every row");
            }
        }
        else if (SetNotNull().Match(action) is { Success: true } setNotNull)
        {
            var column = Name(setNotNull.Groups["column"].Value);
            // FluentMigrator's Alter.Column says SET NOT NULL for a column that is NOT NULL already: that scans nothing.
            // Nor does one that a validated CHECK (column IS NOT NULL) covers, from an earlier migration or this one
            // (PostgreSQL 12 and later trust the check): the recipe squawk and strong_migrations teach.
            if (before?.Find(column) is not { Nullable: false } && before?.NotNullChecked.Contains(column) != true
                && !context.ProvenNotNull.Contains($"{table}.{column}"))
            {
                add(LintRules.AddingNotNullableField, table, $"sets {table}.{column} NOT NULL");
            }
        }
        else if (AlterType().Match(action) is { Success: true } alterType)
        {
            var column = Name(alterType.Groups["column"].Value);
            var to = ColumnType.Parse(alterType.Groups["type"].Value);
            var from = before?.Find(column)?.Type;
            // What the server did is the answer when it was seen; else the known casts that rewrite nothing.
            var rewrites = context.Effects is not null ? context.Rewrote(table) : from is null || RewritesTable(from, to);
            if (rewrites)
            {
                add(LintRules.ChangingColumnType, table, $"changes {table}.{column} {(from is null ? "" : $"from {from} ")}to {to}");
            }
            else if (context.Effects?.RebuiltIndexes.Where(i => i.Value == table).Select(i => i.Key).Order(StringComparer.Ordinal).ToArray() is { Length: > 0 } rebuilt)
            {
                // No rewrite, but the column's indexes are built again, under the ACCESS EXCLUSIVE lock the change takes.
                add(LintRules.ChangingColumnType, table,
                    $"changes {table}.{column} {(from is null ? "" : $"from {from} ")}to {to} without a rewrite, but rebuilds index {string.Join(", ", rebuilt)} meanwhile");
            }
        }
        else if (DetachPartition().Match(action) is { Success: true } detach && !detach.Groups["concurrently"].Success)
        {
            add(LintRules.RequireConcurrentPartitionDetach, table, $"detaches partition {Name(detach.Groups["partition"].Value)} from {table} without CONCURRENTLY");
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

    private static void LintAddColumn(string table, string column, string definition, StatementContext context)
    {
        var add = context.Add;
        var defaultClause = DefaultClause().Match(definition);
        var autoIncrement = SerialType().IsMatch(definition) || Identity().IsMatch(definition);
        var storedGenerated = StoredGenerated().IsMatch(definition);
        if (NotNull().IsMatch(definition) && !defaultClause.Success && !autoIncrement && !storedGenerated)
        {
            add(LintRules.AddingRequiredField, table, $"adds {table}.{column} NOT NULL without a default");
        }

        if (autoIncrement)
        {
            add(LintRules.AddingAutoIncrementColumn, table, $"adds the auto-incrementing column {table}.{column}");
        }
        else if (storedGenerated)
        {
            add(LintRules.AddingStoredGeneratedColumn, table, $"adds the stored generated column {table}.{column}");
        }
        else if (defaultClause.Success && VolatileFunction().Match(defaultClause.Groups["expression"].Value) is { Success: true } volatileCall)
        {
            add(LintRules.AddingFieldWithDefault, table, $"adds {table}.{column} with the volatile default {volatileCall.Value.TrimEnd('(').Trim()}()");
        }
        else if (defaultClause.Success && context.Rewrote(table))
        {
            // A function of the user's, say: the server rewrote the table, so the default is computed row by row.
            add(LintRules.AddingFieldWithDefault, table, $"adds {table}.{column} with the default {defaultClause.Groups["expression"].Value.Trim()}, computed for every row");
        }

        if (References().IsMatch(definition))
        {
            add(LintRules.AddingForeignKeyConstraint, table, $"adds {table}.{column} with REFERENCES");
        }

        if (UniqueKeyword().IsMatch(definition))
        {
            add(LintRules.DisallowedUniqueConstraint, table, $"adds {table}.{column} UNIQUE");
        }
        else if (PrimaryKeyKeyword().IsMatch(definition))
        {
            add(LintRules.AddingSerialPrimaryKeyField, table, $"adds {table}.{column} as the primary key");
        }
    }

    private static bool StartsWith(string text, string keyword) => text.StartsWith(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether PostgreSQL rewrites the table for this change: not for the same type, a longer varchar, varchar to text,
    /// or more precision for a numeric of the same scale (binary coercible, or only a wider check).
    /// </summary>
    public static bool RewritesTable(ColumnType from, ColumnType to) => (from.Name, to.Name) switch
    {
        _ when from.Sql == to.Sql => false,
        // A limit removed or raised is only a wider check; a limit set or lowered checks (and may rewrite) every row.
        ("varchar", "varchar") or ("text", "varchar") => to.Length is { } b && (from.Length is null || b < from.Length),
        ("varchar", "text") or ("char", "text") => false,
        ("cidr", "inet") => false,
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

    /// <summary>The body of a check that proves a column free of nulls: <c>CHECK (col IS NOT NULL)</c>, with or without inner parentheses.</summary>
    [GeneratedRegex("""^CHECK\s*\(\s*\(?\s*(?<column>"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)\s+IS\s+NOT\s+NULL\s*\)?\s*\)""", RegexOptions.IgnoreCase)]
    private static partial Regex NotNullCheck();

    [GeneratedRegex($@"^CREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<table>{QualifiedName})", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex($@"^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?<concurrently>CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:(?<name>{QualifiedName})\s+)?ON\s+(?:ONLY\s+)?(?<table>{QualifiedName})", RegexOptions.IgnoreCase)]
    private static partial Regex CreateIndex();

    [GeneratedRegex($@"^DROP\s+INDEX\s+(?<concurrently>CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?(?<name>{QualifiedName})", RegexOptions.IgnoreCase)]
    private static partial Regex DropIndex();

    [GeneratedRegex(@"^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?<tables>.+?)(?:\s+(?:CASCADE|RESTRICT))?$", RegexOptions.IgnoreCase)]
    private static partial Regex DropTable();

    [GeneratedRegex($@"^REINDEX\s+(?:\([^)]*\)\s+)?(?<kind>INDEX|TABLE|SCHEMA|DATABASE|SYSTEM)\s+(?<concurrently>CONCURRENTLY\s+)?(?<name>{QualifiedName})", RegexOptions.IgnoreCase)]
    private static partial Regex Reindex();

    [GeneratedRegex($@"^DROP\s+DATABASE\s+(?:IF\s+EXISTS\s+)?(?<name>{QualifiedName})", RegexOptions.IgnoreCase)]
    private static partial Regex DropDatabase();

    [GeneratedRegex($@"^ALTER\s+DOMAIN\s+(?<domain>{QualifiedName})\s+ADD\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AlterDomainAddConstraint();

    [GeneratedRegex($@"^ALTER\s+TYPE\s+(?<type>{QualifiedName})\s+RENAME\s+VALUE\s+(?<from>'(?:[^']|'')*')\s+TO\s+", RegexOptions.IgnoreCase)]
    private static partial Regex RenameEnumValue();

    [GeneratedRegex($@"^ALTER\s+SCHEMA\s+(?<schema>{Identifier})\s+RENAME\s+TO\s+(?<to>{Identifier})$", RegexOptions.IgnoreCase)]
    private static partial Regex RenameSchema();

    [GeneratedRegex($@"^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?<table>{QualifiedName})\s+(?<actions>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex AlterTable();

    [GeneratedRegex($@"^ADD\s+(?:COLUMN\s+(?:IF\s+NOT\s+EXISTS\s+)?|(?!(?:CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN|EXCLUDE)\b))(?<column>{Identifier})\s+(?<definition>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex AddColumn();

    [GeneratedRegex($@"^ADD\s+(?:CONSTRAINT\s+(?<name>{Identifier})\s+)?(?<body>(?:PRIMARY|UNIQUE|CHECK|FOREIGN|EXCLUDE)\b.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex AddConstraint();

    [GeneratedRegex($@"^VALIDATE\s+CONSTRAINT\s+(?<name>{Identifier})$", RegexOptions.IgnoreCase)]
    private static partial Regex ValidateConstraint();

    [GeneratedRegex($@"^DETACH\s+PARTITION\s+(?<partition>{QualifiedName})(?:\s+(?<concurrently>CONCURRENTLY)|\s+FINALIZE)?$", RegexOptions.IgnoreCase)]
    private static partial Regex DetachPartition();

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

    [GeneratedRegex(@"^(?:serial|bigserial|smallserial|serial[248])\b", RegexOptions.IgnoreCase)]
    private static partial Regex SerialType();

    [GeneratedRegex(@"\bGENERATED\s+(?:ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY\b", RegexOptions.IgnoreCase)]
    private static partial Regex Identity();

    [GeneratedRegex(@"\bGENERATED\s+ALWAYS\s+AS\s*\(.*\)\s*STORED\b", RegexOptions.IgnoreCase)]
    private static partial Regex StoredGenerated();

    [GeneratedRegex(@"\bREFERENCES\b", RegexOptions.IgnoreCase)]
    private static partial Regex References();

    [GeneratedRegex(@"\bUNIQUE\b", RegexOptions.IgnoreCase)]
    private static partial Regex UniqueKeyword();

    [GeneratedRegex(@"\bPRIMARY\s+KEY\b", RegexOptions.IgnoreCase)]
    private static partial Regex PrimaryKeyKeyword();

    [GeneratedRegex(@"\bNOT\s+VALID\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotValid();

    /// <summary>Functions whose value differs row by row: a default of one makes ADD COLUMN rewrite the table.</summary>
    [GeneratedRegex(@"\b(?:random|clock_timestamp|timeofday|gen_random_uuid|uuid_generate_v[14]|nextval|txid_current)\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex VolatileFunction();

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
