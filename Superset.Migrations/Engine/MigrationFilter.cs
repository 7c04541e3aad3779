namespace Superset.Migrations.Engine;

/// <summary>
/// Which of an assembly's migrations a run uses, as FluentMigrator's runner options say it: the tags asked for
/// (<c>--tag</c>, <c>Migrations:Tags</c>) and the profile (<c>--profile</c>, <c>Migrations:Profile</c>).
/// </summary>
/// <param name="Tags">
/// With none, untagged migrations only; with some, the migrations whose <c>[Tags]</c> match them (FluentMigrator's
/// rules, <c>TagBehavior.RequireAll</c> or <c>RequireAny</c>) and the untagged ones.
/// </param>
/// <param name="Profile">The <c>[Profile("…")]</c> migrations to run after each upgrade; none when null.</param>
public sealed record MigrationFilter(IReadOnlyList<string> Tags, string? Profile = null)
{
    public static MigrationFilter None { get; } = new([]);

    public bool IsNone => Tags.Count == 0 && Profile is null;

    public override string ToString() =>
        IsNone ? "no tags, no profile" : $"tags: {(Tags.Count == 0 ? "none" : string.Join(", ", Tags))}; profile: {Profile ?? "none"}";
}
