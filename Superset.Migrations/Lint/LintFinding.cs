using System.Reflection;
using Superset.Migrations.Engine;

namespace Superset.Migrations.Lint;

/// <summary>One rule tripped by one migration: what, where, and the fix; suppressed when the migration says why it is safe.</summary>
public sealed record LintFinding(long Version, string Description, LintRule Rule, string Message, string? SuppressedBecause = null)
{
    public bool Suppressed => SuppressedBecause is not null;

    /// <summary>An unsuppressed error: what makes <c>lint</c> and <c>check</c> fail.</summary>
    public bool Fails => Rule.Severity == LintSeverity.Error && !Suppressed;

    /// <summary><c>&lt;version&gt; &lt;rule-id&gt; &lt;severity&gt; &lt;message&gt;</c>, then the fix in words.</summary>
    public override string ToString() =>
        $"{Version} {Rule.Id} {(Suppressed ? "suppressed" : Rule.Severity.ToString().ToLowerInvariant())} {Message}: {Rule.Fix}" +
        (Suppressed ? $" (allowed: {SuppressedBecause})" : "");

    /// <summary>The findings of <paramref name="migration"/>, each suppressed when its class carries [AllowUnsafe] for the rule.</summary>
    public static LintFinding For(KnownMigration migration, LintRule rule, string message)
    {
        var allowed = migration.Type.GetCustomAttributes<AllowUnsafeAttribute>(inherit: false).FirstOrDefault(a => rule.IsCalled(a.Rule));
        return new LintFinding(migration.Version, migration.Description, rule, message, allowed?.Reason);
    }
}
