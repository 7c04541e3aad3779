using Superset.Migrations.Lint;

namespace Superset.Migrations.Settings;

/// <summary>
/// The <c>Lint</c> section, read by <c>lint</c> and <c>check</c> from their environment: a severity per rule
/// (<c>Lint__Rules__ban-drop-column=warning</c>, or with underscores, <c>Lint__Rules__ban_drop_column</c>, which a shell
/// can export), and <c>Lint__StartAfter=VERSION</c> to leave older migrations out when a team adopts lint on a long
/// history (strong_migrations' <c>start_after</c>).
/// </summary>
public sealed class LintSettings : IValidatedSettings
{
    public const string Section = "Lint";

    public static class Keys
    {
        public const string Rules = "Lint:Rules";
        public const string StartAfter = "Lint:StartAfter";
    }

    private static readonly string[] Severities = ["error", "warning", "off"];

    /// <summary>Rule id (or former id, or with _ for -) → error, warning or off.</summary>
    public Dictionary<string, string> Rules { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Migrations up to this version are not linted (unless asked for one by one).</summary>
    public long? StartAfter { get; set; }

    public IEnumerable<string> Errors()
    {
        foreach (var (id, severity) in Rules)
        {
            if (LintRules.Find(Normalize(id)) is null)
            {
                yield return $"{Keys.Rules}:{id} names no lint rule: the rules are {string.Join(", ", LintRules.All.Select(r => r.Id))}.";
            }

            if (!Severities.Contains(severity.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                yield return $"{Keys.Rules}:{id} is '{severity}', not error, warning or off.";
            }
        }
    }

    public LintPolicy Policy => new(
        Rules.ToDictionary(
            r => LintRules.Find(Normalize(r.Key))!.Id,
            r => r.Value.Trim().ToLowerInvariant() switch
            {
                "error" => LintSeverity.Error,
                "warning" => LintSeverity.Warning,
                _ => (LintSeverity?)null,
            }),
        StartAfter);

    private static string Normalize(string id) => id.Trim().Replace('_', '-').ToLowerInvariant();
}
