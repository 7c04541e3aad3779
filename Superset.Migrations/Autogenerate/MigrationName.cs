using System.Globalization;
using System.Text;

namespace Superset.Migrations.Autogenerate;

/// <summary>A description that cannot name a migration; the message says why, on one line.</summary>
public sealed class InvalidMigrationNameException(string message) : Exception(message);

/// <summary>
/// A migration's name, made from the description given to <c>create</c>: the description itself, a snake_case
/// form for the file name and a PascalCase form for the class.
/// </summary>
public sealed record MigrationName(string Description, string SnakeCase, string PascalCase, IReadOnlyList<string> Warnings)
{
    public const int MaxDescriptionLength = 200;
    private const int MaxIdentifierLength = 80;
    private const string AllowedPunctuation = " _-.,:()/'&+#@%";

    /// <summary>The seed's best practices: a description says what the migration does.</summary>
    private static readonly HashSet<string> VagueDescriptions = new(StringComparer.OrdinalIgnoreCase)
    {
        "update database", "update db", "database update", "db update", "update", "updates", "change", "changes",
        "db changes", "database changes", "schema changes", "schema update", "fix", "fixes", "misc", "stuff",
        "wip", "temp", "tmp", "migration", "new migration", "test", "test migration", "changes to database",
    };

    public static MigrationName Parse(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var trimmed = string.Join(' ', description.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (trimmed.Length == 0)
        {
            throw new InvalidMigrationNameException("A description is required: create \"add tags table\".");
        }

        if (trimmed.Length > MaxDescriptionLength)
        {
            throw new InvalidMigrationNameException(
                $"The description has {trimmed.Length} characters; keep it under {MaxDescriptionLength}: say what the migration does in a few words.");
        }

        var refused = trimmed.FirstOrDefault(c => !char.IsLetterOrDigit(c) && !AllowedPunctuation.Contains(c));
        if (refused != default)
        {
            var shown = char.IsControl(refused) ? $"U+{(int)refused:X4}" : refused.ToString();
            throw new InvalidMigrationNameException(
                $"The description contains '{shown}', which does not belong in a migration name: use letters, digits, spaces and {AllowedPunctuation.Trim()}");
        }

        var words = Words(trimmed);
        if (words.Count == 0)
        {
            throw new InvalidMigrationNameException(
                $"\"{trimmed}\" makes no valid identifier: the description needs Latin letters or digits (for the file and class name).");
        }

        var snake = Truncate(string.Join('_', words), MaxIdentifierLength);
        var pascal = string.Concat(snake.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        var warnings = VagueDescriptions.Contains(trimmed)
            ? new[] { $"\"{trimmed}\" is vague: say what the migration does, such as \"add email column to users\"." }
            : [];
        return new MigrationName(trimmed, snake, pascal, warnings);
    }

    /// <summary>Lowercase ASCII words: accents stripped (café → cafe), everything else a separator.</summary>
    private static List<string> Words(string description)
    {
        var plain = new StringBuilder();
        foreach (var c in description.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                plain.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
            }
        }

        return plain.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static string Truncate(string snake, int length)
    {
        if (snake.Length <= length)
        {
            return snake;
        }

        var cut = snake.LastIndexOf('_', length);
        return cut > 0 ? snake[..cut] : snake[..length];
    }
}
