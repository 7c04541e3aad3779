using FluentMigrator;

namespace Superset.Migrations.Engine;

/// <summary>
/// What a run is, for everything that scripts or sends its statements: its kind, and whether each migration also keeps
/// FluentMigrator's own version table (<c>VersionInfo</c>) in step, as FluentMigrator's runner would have.
/// </summary>
public sealed record MigrationRun(RunKind Kind, bool KeepsVersionInfo = false)
{
    public MigrationDirection Direction => Kind.Direction();

    /// <summary>
    /// The migrations a run sends, in order, as FluentMigrator's runner orders them: an upgrade (or a merge) runs the
    /// maintenance migrations of <see cref="MigrationStage.BeforeAll"/>, then each pending migration between those of
    /// <see cref="MigrationStage.BeforeEach"/> and <see cref="MigrationStage.AfterEach"/>, then
    /// <see cref="MigrationStage.BeforeProfiles"/>, the selected profile and <see cref="MigrationStage.AfterAll"/>, even with
    /// nothing pending. A downgrade reverts its migrations and nothing else.
    /// </summary>
    public static IReadOnlyList<KnownMigration> Sequence(MigrationSource source, IReadOnlyList<KnownMigration> selected, RunKind kind)
    {
        if (kind == RunKind.Downgrade || !source.RunsOnEveryUpgrade)
        {
            return selected;
        }

        var steps = new List<KnownMigration>();
        steps.AddRange(source.MaintenanceAt(MigrationStage.BeforeAll));
        foreach (var migration in selected)
        {
            steps.AddRange(source.MaintenanceAt(MigrationStage.BeforeEach));
            steps.Add(migration);
            steps.AddRange(source.MaintenanceAt(MigrationStage.AfterEach));
        }

        steps.AddRange(source.MaintenanceAt(MigrationStage.BeforeProfiles));
        steps.AddRange(source.Profiles);
        steps.AddRange(source.MaintenanceAt(MigrationStage.AfterAll));
        return steps;
    }
}
