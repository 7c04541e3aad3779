using System.Text;

namespace Superset.Migrations.SqlText;

/// <summary>One statement of a SQL text: as written, and its code (comments left out, the contents of string literals blanked).</summary>
/// <param name="Code">What the statement says as SQL: keywords and names, never the text inside a literal or a comment.</param>
/// <param name="DollarBodies">The contents of its dollar-quoted strings (a DO block's or a function's body), which are SQL of their own.</param>
public sealed record SqlStatement(string Text, string Code, IReadOnlyList<string> DollarBodies);

/// <summary>
/// Splits SQL at its semicolons the way PostgreSQL reads it: a semicolon inside a string ('…', E'…'), a quoted identifier
/// ("…"), a dollar-quoted body ($tag$…$tag$), a line comment (-- …) or a block comment (/* … */, nested) ends nothing.
/// </summary>
public static class SqlStatementSplitter
{
    public static IReadOnlyList<SqlStatement> Split(string sql)
    {
        var statements = new List<SqlStatement>();
        var text = new StringBuilder();
        var code = new StringBuilder();
        var bodies = new List<string>();
        var i = 0;

        void Finish()
        {
            if (code.ToString().Trim().Length > 0)
            {
                statements.Add(new SqlStatement(text.ToString().Trim(), code.ToString().Trim(), bodies.ToArray()));
            }

            text.Clear();
            code.Clear();
            bodies.Clear();
        }

        while (i < sql.Length)
        {
            var start = i;
            var c = sql[i];
            if (c == ';')
            {
                i++;
                Finish();
                continue;
            }

            if (c == '-' && Next(sql, i) == '-')
            {
                i = sql.IndexOf('\n', i) is var end and >= 0 ? end : sql.Length;
                code.Append(' ');
            }
            else if (c == '/' && Next(sql, i) == '*')
            {
                i = SkipBlockComment(sql, i);
                code.Append(' ');
            }
            else if (c == '\'')
            {
                var escapes = i > 0 && (sql[i - 1] is 'E' or 'e') && (i < 2 || !IsWordChar(sql[i - 2]));
                i = SkipQuoted(sql, i, '\'', escapes);
                code.Append("''");
            }
            else if (c == '"')
            {
                i = SkipQuoted(sql, i, '"', backslashEscapes: false);
                code.Append(sql, start, i - start);
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag && (i == 0 || !IsWordChar(sql[i - 1])))
            {
                var close = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                var end = close < 0 ? sql.Length : close + tag.Length;
                bodies.Add(sql[(i + tag.Length)..(close < 0 ? sql.Length : close)]);
                i = end;
                code.Append("$$");
            }
            else
            {
                i++;
                code.Append(c);
            }

            text.Append(sql, start, i - start);
        }

        Finish();
        return statements;
    }

    private static char Next(string sql, int i) => i + 1 < sql.Length ? sql[i + 1] : '\0';

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static int SkipBlockComment(string sql, int i)
    {
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && Next(sql, i) == '*')
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && Next(sql, i) == '/')
            {
                i += 2;
                if (--depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return sql.Length;
    }

    /// <summary>Past a quoted run: a doubled quote stands for one; in an E'' string a backslash escapes the next character.</summary>
    private static int SkipQuoted(string sql, int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < sql.Length)
        {
            if (backslashEscapes && sql[i] == '\\')
            {
                i += 2;
            }
            else if (sql[i] == quote)
            {
                if (Next(sql, i) != quote)
                {
                    return i + 1;
                }

                i += 2;
            }
            else
            {
                i++;
            }
        }

        return sql.Length;
    }

    /// <summary>The dollar-quote tag that starts at <paramref name="i"/> ($$ or $name$), or null when it is a parameter ($1) or nothing.</summary>
    private static string? DollarTag(string sql, int i)
    {
        var j = i + 1;
        while (j < sql.Length && (char.IsLetter(sql[j]) || sql[j] == '_' || (j > i + 1 && char.IsDigit(sql[j]))))
        {
            j++;
        }

        return j < sql.Length && sql[j] == '$' ? sql[i..(j + 1)] : null;
    }
}
