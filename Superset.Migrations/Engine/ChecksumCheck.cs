namespace Superset.Migrations.Engine;

/// <summary>
/// Applied migrations are never edited: the SQL each one would run now is compared with the checksum stored when it ran.
/// </summary>
public sealed class ChecksumCheck(MigrationScripter scripter)
{
    /// <summary>Applied migrations whose Up SQL differs from the checksum stored when they ran.</summary>
    public IReadOnlyList<ChangedMigration> FindChanged(MigrationPlan plan)
    {
        var changed = new List<ChangedMigration>();
        foreach (var applied in plan.Applied)
        {
            if (applied.Checksum is null || plan.Source.Find(applied.Version) is not { } known)
            {
                continue;
            }

            var current = scripter.TryChecksum(known);
            if (current is not null && current != applied.Checksum)
            {
                changed.Add(new ChangedMigration(applied, known, current));
            }
        }

        return changed;
    }

    /// <summary>
    /// Edited applied migrations: refused unless the request allows them, in which case they are returned, to have
    /// their new checksum recorded with an <c>allow-changed</c> event.
    /// </summary>
    public IReadOnlyList<ChangedMigration> Verify(MigrationPlan plan, UpgradeRequest request)
    {
        var changed = FindChanged(plan);
        if (changed.Count > 0 && !request.AllowChanged)
        {
            throw new MigrationException(
                MigrationErrorKind.Refused,
                $"Applied migrations were edited after they ran: {MigrationSelector.Describe(changed.Select(c => c.Known))}. " +
                "Revert the edit and add a new migration instead, or pass --allow-changed for a deliberate fix.");
        }

        return changed;
    }

    /// <summary>What accepting an edit writes: the new checksum, and an event saying from which to which.</summary>
    public static string AcceptSql(ChangedMigration change, string actor) =>
        MigrationHistory.UpdateChecksumSql(change.Known.Version, change.CurrentChecksum) + ";\n" +
        MigrationHistory.EventSql(RecordedActions.AllowChanged, change.Known.Version,
            $"checksum {change.Applied.Checksum} accepted as {change.CurrentChecksum}", actor);
}
