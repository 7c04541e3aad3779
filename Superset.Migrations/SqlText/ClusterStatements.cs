using System.Text.RegularExpressions;

namespace Superset.Migrations.SqlText;

/// <summary>
/// Statements that act on the whole server rather than on the database they run in: roles, databases, tablespaces,
/// the server's configuration, privileges on a database, role membership, subscriptions. A throwaway database must
/// never run them (they would happen for real), and lint names them.
/// </summary>
public static partial class ClusterStatements
{
    /// <summary>What in <paramref name="sql"/> acts on the whole server ("CREATE ROLE"), statement by statement, DO bodies included.</summary>
    public static IReadOnlyList<string> Find(string sql) =>
        SqlStatementSplitter.Split(sql).SelectMany(Find).ToArray();

    public static IEnumerable<string> Find(SqlStatement statement)
    {
        if (Describe(statement.Code) is { } what)
        {
            yield return what;
        }
        else if (DoBlock().IsMatch(statement.Code))
        {
            // A DO body is PL/pgSQL: a statement may follow BEGIN, THEN or LOOP rather than start one.
            foreach (var inner in statement.DollarBodies.SelectMany(SqlStatementSplitter.Split))
            {
                foreach (Match verb in Verb().Matches(inner.Code))
                {
                    if (Describe(inner.Code[verb.Index..]) is { } found)
                    {
                        yield return found;
                        break;
                    }
                }
            }
        }
    }

    /// <summary>What the statement's code does to the server, in a few words; null when it stays in its database.</summary>
    public static string? Describe(string code)
    {
        var text = Whitespace().Replace(code.Trim(), " ");
        if (Shared().Match(text) is { Success: true } shared)
        {
            return $"{shared.Groups["verb"].Value.ToUpperInvariant()} {shared.Groups["object"].Value.ToUpperInvariant()}";
        }

        if (AlterSystem().IsMatch(text))
        {
            return "ALTER SYSTEM";
        }

        if (Reassign().IsMatch(text))
        {
            return "REASSIGN OWNED";
        }

        if (Privilege().Match(text) is { Success: true } privilege)
        {
            return $"{privilege.Groups["verb"].Value.ToUpperInvariant()} … ON {privilege.Groups["object"].Value.ToUpperInvariant()}";
        }

        if (CommentOn().Match(text) is { Success: true } comment)
        {
            return $"COMMENT ON {comment.Groups["object"].Value.ToUpperInvariant()}";
        }

        // GRANT role TO role (no ON): membership, which is the server's.
        if (Membership().IsMatch(text) && !text.Contains(" ON ", StringComparison.OrdinalIgnoreCase))
        {
            return $"{text.Split(' ')[0].ToUpperInvariant()} (role membership)";
        }

        return null;
    }

    [GeneratedRegex(@"^(?<verb>CREATE|ALTER|DROP)\s+(?<object>ROLE|USER|GROUP|DATABASE|TABLESPACE|SUBSCRIPTION)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Shared();

    [GeneratedRegex(@"^ALTER\s+SYSTEM\b", RegexOptions.IgnoreCase)]
    private static partial Regex AlterSystem();

    [GeneratedRegex(@"^REASSIGN\s+OWNED\b", RegexOptions.IgnoreCase)]
    private static partial Regex Reassign();

    [GeneratedRegex(@"^(?<verb>GRANT|REVOKE)\b.*\bON\s+(?<object>DATABASE|TABLESPACE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Privilege();

    [GeneratedRegex(@"^COMMENT\s+ON\s+(?<object>DATABASE|ROLE|TABLESPACE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CommentOn();

    [GeneratedRegex(@"^(GRANT|REVOKE)\b.*\b(TO|FROM)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Membership();

    [GeneratedRegex(@"\b(CREATE|ALTER|DROP|GRANT|REVOKE|COMMENT|REASSIGN)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Verb();

    [GeneratedRegex(@"^DO\b", RegexOptions.IgnoreCase)]
    private static partial Regex DoBlock();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
