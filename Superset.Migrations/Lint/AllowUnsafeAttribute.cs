namespace Superset.Migrations.Lint;

/// <summary>
/// Accepts a lint rule's finding for this migration, with the reason: <c>[AllowUnsafe("ban-drop-column", Reason =
/// "column unused since 2026-10")]</c>. <c>lint</c> still lists the finding, as suppressed, with the reason.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AllowUnsafeAttribute(string rule) : Attribute
{
    public string Rule { get; } = rule;

    /// <summary>Why it is safe here; required, so that the next person knows.</summary>
    public required string Reason { get; init; }
}
