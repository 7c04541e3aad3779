namespace Superset.Migrations.Engine;

/// <summary>A migration as reports name it: its version and description.</summary>
/// <remarks>A maintenance or profile migration has no version (0): its description says what it is.</remarks>
public sealed record MigrationRef(long Version, string Description)
{
    public static MigrationRef From(KnownMigration migration) =>
        migration.IsVersioned ? new(migration.Version, migration.Description) : new(0, migration.ToString());

    public static MigrationRef From(AppliedMigration migration) => new(migration.Version, migration.Description);

    public bool IsVersioned => Version != 0;

    public override string ToString() => IsVersioned ? $"{Version} ({Description})" : Description;
}

/// <summary>An applied migration this code does not know, and whether it can be reverted without it (its Down() SQL was stored).</summary>
public sealed record UnknownMigrationRef(long Version, string Description, bool Revertible)
{
    public override string ToString() => $"{Version} ({Description})";
}

/// <summary>
/// The plan as people and scripts read it: the same fields, with the same names, in <c>status --json</c> and in the web
/// app's <c>/api/migrations</c> (each adds what only it knows).
/// </summary>
public record PlanSummary
{
    public required string Database { get; init; }

    /// <summary>The newest applied migration; null when none is.</summary>
    public MigrationRef? Current { get; init; }

    /// <summary>The newest migration this build knows; null when it knows none.</summary>
    public MigrationRef? Head { get; init; }

    /// <summary>Every migration of this build is applied, and none this build does not know.</summary>
    public bool AtHead { get; init; }

    public IReadOnlyList<MigrationRef> Pending { get; init; } = [];

    public IReadOnlyList<MigrationRef> OutOfOrder { get; init; } = [];

    /// <summary>Applied, but unknown to this build (another branch's, or newer code's).</summary>
    public IReadOnlyList<UnknownMigrationRef> Unknown { get; init; } = [];

    /// <summary>Pending migrations marked <c>BreakingChange</c>: an upgrade applies them only when allowed to.</summary>
    public IReadOnlyList<MigrationRef> BreakingChanges { get; init; } = [];

    /// <summary>
    /// Set when another runner (FluentMigrator's, Flask-Migrate) migrated the database and this engine has not adopted it
    /// yet: the line that says so and names <c>adopt</c>. Nothing runs until then.
    /// </summary>
    public string? Adoption { get; init; }

    public static PlanSummary From(string database, MigrationPlan plan) => new()
    {
        Database = database,
        Current = plan.Current is { } current ? MigrationRef.From(current) : null,
        Head = plan.Head is { } head ? MigrationRef.From(head) : null,
        AtHead = plan.IsAtHead,
        Pending = plan.Pending.Select(MigrationRef.From).ToArray(),
        OutOfOrder = plan.OutOfOrder.Select(MigrationRef.From).ToArray(),
        Unknown = plan.Unknown.Select(u => new UnknownMigrationRef(u.Version, u.Description, u.Revertible)).ToArray(),
        BreakingChanges = plan.Pending.Where(m => m.BreakingChange).Select(MigrationRef.From).ToArray(),
        Adoption = plan.AdoptionNotice,
    };
}
