namespace Superset.Migrations.Lint;

/// <summary>
/// A team's lint settings applied to findings: a rule's severity raised, lowered or switched off, and the migrations up
/// to <see cref="StartAfter"/> left out (see <see cref="Settings.LintSettings"/>).
/// </summary>
/// <param name="Severities">Rule id → its severity here; null: off.</param>
public sealed record LintPolicy(IReadOnlyDictionary<string, LintSeverity?> Severities, long? StartAfter)
{
    public static LintPolicy Default { get; } = new(new Dictionary<string, LintSeverity?>(), null);

    /// <summary>Whether a migration is linted at all (those up to StartAfter are not, unless asked for by version).</summary>
    public bool Covers(long version) => StartAfter is null || version > StartAfter;

    public IReadOnlyList<LintFinding> Apply(IEnumerable<LintFinding> findings) =>
        findings.Select(finding => Severities.TryGetValue(finding.Rule.Id, out var severity)
                ? severity is { } set ? finding with { Rule = finding.Rule with { Severity = set } } : null
                : finding)
            .OfType<LintFinding>()
            .ToArray();
}
