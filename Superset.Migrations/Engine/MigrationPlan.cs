namespace Superset.Migrations.Engine;

/// <summary>
/// What the database has against what the code knows: applied, pending, out of order (pending but older than
/// the newest applied, as when two developers added migrations in parallel) and unknown (applied, but not in
/// this code: the database is ahead of it).
/// </summary>
public sealed class MigrationPlan
{
    private MigrationPlan(MigrationSource source, IReadOnlyList<AppliedMigration> applied)
    {
        Source = source;
        Applied = applied;

        var appliedVersions = applied.Select(a => a.Version).ToHashSet();
        Current = applied.Count == 0 ? null : applied.MaxBy(a => a.Version);
        Pending = source.Migrations.Where(m => !appliedVersions.Contains(m.Version)).ToArray();
        OutOfOrder = Current is null ? [] : Pending.Where(m => m.Version < Current.Version).ToArray();
        Unknown = applied.Where(a => source.Find(a.Version) is null).OrderBy(a => a.Version).ToArray();
    }

    public MigrationSource Source { get; }

    /// <summary>Applied migrations in the order they were applied.</summary>
    public IReadOnlyList<AppliedMigration> Applied { get; }

    /// <summary>Migrations in the code that the database does not have, by version.</summary>
    public IReadOnlyList<KnownMigration> Pending { get; }

    /// <summary>Pending migrations older than the newest applied one; a plain upgrade refuses them (see merge).</summary>
    public IReadOnlyList<KnownMigration> OutOfOrder { get; }

    /// <summary>Applied versions this code does not know.</summary>
    public IReadOnlyList<AppliedMigration> Unknown { get; }

    /// <summary>The applied migration with the highest version: the database's current version.</summary>
    public AppliedMigration? Current { get; }

    public KnownMigration? Head => Source.Head;

    public bool IsAtHead => Pending.Count == 0 && Unknown.Count == 0 && !NeedsAdoption;

    /// <summary>FluentMigrator's <c>VersionInfo</c> is there: each migration applied or reverted keeps it in step too.</summary>
    public bool KeepsVersionInfo { get; private init; }

    /// <summary>Another runner's version table, in a database this engine has not migrated yet; null otherwise.</summary>
    public ForeignVersionTable? Foreign { get; private init; }

    /// <summary>
    /// The database was migrated by another runner (FluentMigrator's, Flask-Migrate) and not yet by this engine: running
    /// migration 1 on it would fail or, worse, half succeed. Nothing runs until <c>adopt</c> has taken it over.
    /// </summary>
    public bool NeedsAdoption => Applied.Count == 0 && Foreign is { RecordsAnything: true };

    /// <summary>The line that says so, naming the command to run; null when the database needs no adoption.</summary>
    public string? AdoptionNotice => NeedsAdoption
        ? $"This database was migrated by {Foreign!.Describe()}, not by this engine: nothing runs on it until you take it over with {Foreign.AdoptCommand}, " +
          "which checks that its schema is what this code's migrations produce and then records them as applied."
        : null;

    public static MigrationPlan Create(
        MigrationSource source, IReadOnlyList<AppliedMigration> applied, bool keepsVersionInfo = false, ForeignVersionTable? foreign = null) =>
        new(source, applied) { KeepsVersionInfo = keepsVersionInfo, Foreign = foreign };

    public AppliedMigration? FindApplied(long version) => Applied.FirstOrDefault(a => a.Version == version);

    /// <summary>The plan as it will be once the unknown migrations are reverted: what is pending, and out of order, then.</summary>
    public MigrationPlan WithoutUnknown() =>
        Unknown.Count == 0 ? this : new MigrationPlan(Source, Applied.Where(a => Source.Find(a.Version) is not null).ToArray())
        {
            KeepsVersionInfo = KeepsVersionInfo,
            Foreign = Foreign,
        };
}
