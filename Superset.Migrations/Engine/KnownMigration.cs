using System.Reflection;
using FluentMigrator;

namespace Superset.Migrations.Engine;

/// <summary>What a migration class is to a run, as FluentMigrator's runner tells them apart.</summary>
public enum MigrationRole
{
    /// <summary><c>[Migration(version)]</c>: applied once, recorded in the history.</summary>
    Versioned,

    /// <summary><c>[Maintenance(stage)]</c>: run at its stage of every upgrade, never recorded.</summary>
    Maintenance,

    /// <summary><c>[Profile("name")]</c>: run after every upgrade when its profile is selected, never recorded.</summary>
    Profile,
}

/// <summary>A migration compiled into the code: what the engine can apply or revert.</summary>
/// <param name="Version">The FluentMigrator version, a timestamp such as 20261124120000; 0 for maintenance and profile migrations.</param>
/// <param name="Description">The human description given to <c>create</c> (the class name when it has none).</param>
/// <param name="Type">The migration class.</param>
/// <param name="Transactional">
/// False when the migration opted out of the transaction (<see cref="TransactionBehavior.None"/>), which
/// PostgreSQL requires for statements such as <c>CREATE INDEX CONCURRENTLY</c>.
/// </param>
public sealed record KnownMigration(long Version, string Description, Type Type, bool Transactional)
{
    public MigrationRole Role { get; init; } = MigrationRole.Versioned;

    /// <summary>When a maintenance migration runs.</summary>
    public MigrationStage? Stage { get; init; }

    /// <summary><c>[Migration(..., BreakingChange = true)]</c>: FluentMigrator's runner applies it only when told to.</summary>
    public bool BreakingChange { get; init; }

    public bool IsVersioned => Role == MigrationRole.Versioned;

    /// <summary>A new instance of the class; whatever its constructor throws becomes a <see cref="MigrationCodeException"/>.</summary>
    public IMigration CreateInstance()
    {
        try
        {
            return (IMigration)Activator.CreateInstance(Type)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new MigrationCodeException(this, "its constructor", ex.InnerException);
        }
        catch (MissingMethodException ex)
        {
            throw new MigrationCodeException(this, "its constructor", ex);
        }
    }

    public override string ToString() => Role switch
    {
        MigrationRole.Maintenance => $"maintenance {Type.Name} ({Stage})",
        MigrationRole.Profile => $"profile {Type.Name} ({Description})",
        _ => $"{Version} ({Description})",
    };
}
