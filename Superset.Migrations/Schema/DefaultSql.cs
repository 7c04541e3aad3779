using System.Text.RegularExpressions;

namespace Superset.Migrations.Schema;

/// <summary>
/// Server defaults in one spelling: the catalog prints <c>'light'::character varying</c> for what a model and a
/// migration write as <c>'light'</c>, and <c>CURRENT_TIMESTAMP</c> where people write <c>now()</c>.
/// </summary>
public static partial class DefaultSql
{
    public static string? Normalize(string? sql)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            return null;
        }

        var value = sql.Trim();
        while (value.StartsWith('(') && value.EndsWith(')') && Balanced(value[1..^1]))
        {
            value = value[1..^1].Trim();
        }

        var literal = CastLiteral().Match(value);
        if (literal.Success)
        {
            value = literal.Groups["literal"].Value;
        }

        return value.ToLowerInvariant() switch
        {
            "current_timestamp" or "now()" or "transaction_timestamp()" => Sql.Now,
            "true" or "false" => value.ToLowerInvariant(),
            _ => value,
        };
    }

    private static bool Balanced(string value)
    {
        var depth = 0;
        foreach (var c in value)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0)
            {
                return false;
            }
        }

        return depth == 0;
    }

    [GeneratedRegex(@"^(?<literal>'(?:[^']|'')*'|-?\d+(\.\d+)?)::[a-z][a-z0-9_ ]*(\(\d+(,\s*\d+)?\))?(\[\])?$")]
    private static partial Regex CastLiteral();
}
