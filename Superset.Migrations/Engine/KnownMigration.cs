using FluentMigrator;

namespace Superset.Migrations.Engine;

/// <summary>A migration compiled into the code: what the engine can apply or revert.</summary>
/// <param name="Version">The FluentMigrator version, a timestamp such as 20261124120000.</param>
/// <param name="Description">The human description given to <c>create</c>.</param>
/// <param name="Type">The migration class.</param>
/// <param name="Transactional">
/// False when the migration opted out of the transaction (<see cref="TransactionBehavior.None"/>), which
/// PostgreSQL requires for statements such as <c>CREATE INDEX CONCURRENTLY</c>.
/// </param>
public sealed record KnownMigration(long Version, string Description, Type Type, bool Transactional)
{
    public IMigration CreateInstance() => (IMigration)Activator.CreateInstance(Type)!;

    public override string ToString() => $"{Version} ({Description})";
}
