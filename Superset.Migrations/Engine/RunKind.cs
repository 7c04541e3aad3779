using FluentMigrator;

namespace Superset.Migrations.Engine;

/// <summary>What a run does. Its name is what <c>migrations.history.applied_via</c> and <c>migrations.events.action</c> record.</summary>
public enum RunKind
{
    /// <summary>Apply pending migrations, in order.</summary>
    Upgrade,

    /// <summary>Apply the out-of-order migrations (older than the current version, not applied) a plain upgrade refuses.</summary>
    Merge,

    /// <summary>Revert applied migrations, newest applied first.</summary>
    Downgrade,
}

public static class RunKindExtensions
{
    public static string Name(this RunKind kind) => kind switch
    {
        RunKind.Upgrade => "upgrade",
        RunKind.Merge => "merge",
        RunKind.Downgrade => "downgrade",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static MigrationDirection Direction(this RunKind kind) => kind == RunKind.Downgrade ? MigrationDirection.Down : MigrationDirection.Up;
}

/// <summary>The other actions <c>migrations.events</c> records, besides the runs.</summary>
public static class RecordedActions
{
    public const string Stamp = "stamp";
    public const string AllowChanged = "allow-changed";

    /// <summary>Migrations another runner applied, recorded by <c>adopt</c> once the schema matched.</summary>
    public const string Adopt = "adopt";

    /// <summary>Migrations this code does not know (another branch's), reverted from their stored Down() SQL.</summary>
    public const string RevertUnknown = "revert-unknown";

    public static string Failed(MigrationDirection direction) => direction == MigrationDirection.Up ? "upgrade-failed" : "downgrade-failed";
}
