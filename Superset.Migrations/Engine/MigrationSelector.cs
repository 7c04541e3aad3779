namespace Superset.Migrations.Engine;

/// <summary>
/// Which migrations a run applies or reverts, and in which order, decided from the plan alone: pure code, so that every
/// rule, refusals included, is tested in milliseconds without a database. The engine asks it again under the lock.
/// </summary>
public static class MigrationSelector
{
    /// <summary>The migrations an upgrade (or a merge) would apply, in order; throws when a safety check refuses.</summary>
    public static IReadOnlyList<KnownMigration> ForUpgrade(MigrationPlan plan, UpgradeRequest request)
    {
        if (request.RevertUnknown)
        {
            // What is pending, and out of order, once the unknown ones (reverted first) are gone.
            UnknownToRevert(plan);
            plan = plan.WithoutUnknown();
        }

        RefuseUnknown(plan, "upgrade");
        if (plan.AdoptionNotice is { } adopt)
        {
            throw new MigrationException(MigrationErrorKind.Refused, adopt);
        }

        if (request.Target is { } target && plan.Source.Find(target) is null)
        {
            throw UnknownTarget(target);
        }

        if (request.Merge)
        {
            return RefuseBreakingChanges(plan.OutOfOrder.Where(m => request.Target is null || m.Version <= request.Target).ToArray(), request);
        }

        if (plan.OutOfOrder.Count > 0)
        {
            throw new MigrationException(
                MigrationErrorKind.Refused,
                $"Out-of-order migrations: {Describe(plan.OutOfOrder)} {(plan.OutOfOrder.Count == 1 ? "is" : "are")} older than the current version {plan.Current!.Version} and not applied. " +
                "Review them, then run 'merge' to apply them.");
        }

        return RefuseBreakingChanges(plan.Pending.Where(m => request.Target is null || m.Version <= request.Target).ToArray(), request);
    }

    /// <summary>FluentMigrator's rule: a migration marked <c>BreakingChange</c> is applied only when that is allowed.</summary>
    private static IReadOnlyList<KnownMigration> RefuseBreakingChanges(IReadOnlyList<KnownMigration> selected, UpgradeRequest request)
    {
        var breaking = selected.Where(m => m.BreakingChange).ToArray();
        if (breaking.Length > 0 && !request.AllowBreakingChanges)
        {
            throw new MigrationException(
                MigrationErrorKind.Refused,
                $"{Describe(breaking)} {(breaking.Length == 1 ? "is" : "are")} marked BreakingChange: the app still running on the old code may break while " +
                $"{(breaking.Length == 1 ? "it runs" : "they run")}. Deploy accordingly, then apply with --allow-breaking-changes (the worker: Migrations:AllowBreakingChanges=true). Nothing was changed.");
        }

        return selected;
    }

    /// <summary>
    /// The migrations a downgrade would revert, in the order it reverts them (newest applied first); refused, before
    /// anything changes, when one of them cannot be reverted (<paramref name="irreversible"/> says why, null when it can).
    /// </summary>
    public static IReadOnlyList<KnownMigration> ForDowngrade(MigrationPlan plan, DowngradeRequest request, Func<KnownMigration, string?>? irreversible = null)
    {
        var selected = SelectForDowngrade(plan, request);
        if (irreversible is not null)
        {
            RefuseIrreversible(selected.Select(m => (m.ToString(), irreversible(m))));
        }

        return selected;
    }

    private static IReadOnlyList<KnownMigration> SelectForDowngrade(MigrationPlan plan, DowngradeRequest request)
    {
        if (plan.Unknown.Count > 0 && (request.Unknown || request.Target is not null))
        {
            // Below migrations this code does not know: they go first, from their stored SQL.
            UnknownToRevert(plan);
            plan = plan.WithoutUnknown();
        }

        // --unknown alone reverts those and nothing this code knows (not "the last one" by default).
        if (request.Unknown && request.Target is null && request.Steps is null)
        {
            return [];
        }

        RefuseUnknown(plan, "downgrade");
        if (request.Steps is < 1)
        {
            throw new MigrationException(MigrationErrorKind.InvalidInput, $"--steps must be at least 1, not {request.Steps}.");
        }

        if (request.Target is { } target && target != 0 && plan.Source.Find(target) is null)
        {
            throw UnknownTarget(target);
        }

        var applied = plan.Applied.OrderByDescending(a => a.AppliedOrder).Select(a => plan.Source.Find(a.Version)!).ToArray();
        if (request.Target is { } t)
        {
            return applied.Where(m => m.Version > t).ToArray();
        }

        var steps = request.Steps ?? 1;
        if (steps > applied.Length)
        {
            throw new MigrationException(
                MigrationErrorKind.InvalidInput,
                $"Cannot roll back {steps} migrations: only {applied.Length} {(applied.Length == 1 ? "is" : "are")} applied.");
        }

        return applied.Take(steps).ToArray();
    }

    /// <summary>
    /// The applied migrations this code does not know, in the order they are reverted (newest applied first); refused
    /// when any of them has no stored Down() SQL (its Down() runs C# or reads the live schema): only its code can revert it.
    /// </summary>
    public static IReadOnlyList<AppliedMigration> UnknownToRevert(MigrationPlan plan)
    {
        RefuseIrreversible(plan.Unknown.Select(u => ($"{u.Version} ({u.Description})", u.Irreversible)));
        var stuck = plan.Unknown.Where(u => !u.Revertible).ToArray();
        if (stuck.Length > 0)
        {
            throw new MigrationException(
                MigrationErrorKind.Refused,
                $"{string.Join(", ", stuck.Select(u => $"{u.Version} ({u.Description})"))} cannot be reverted without {(stuck.Length == 1 ? "its" : "their")} code " +
                "(no Down() SQL was stored when applied: it runs C#, reads the live schema, or does nothing). Check out the branch that has " +
                $"{(stuck.Length == 1 ? "it" : "them")}, downgrade there, and come back.");
        }

        return plan.Unknown.OrderByDescending(u => u.AppliedOrder).ToArray();
    }

    /// <summary>The unknown migrations an upgrade reverts first: all of them when asked to, else none (and the upgrade refuses).</summary>
    public static IReadOnlyList<AppliedMigration> UnknownToRevert(MigrationPlan plan, UpgradeRequest request) =>
        request.RevertUnknown ? UnknownToRevert(plan) : [];

    /// <summary>The unknown migrations a downgrade reverts first: with --unknown, or below a target under them.</summary>
    public static IReadOnlyList<AppliedMigration> UnknownToRevert(MigrationPlan plan, DowngradeRequest request) =>
        plan.Unknown.Count > 0 && (request.Unknown || request.Target is not null) ? UnknownToRevert(plan) : [];

    /// <summary>A version no migration of this source has.</summary>
    public static MigrationException UnknownTarget(long target) =>
        new(MigrationErrorKind.InvalidInput, $"Unknown target version {target}: no migration has it (run 'history' to list them).");

    public static string Describe(IEnumerable<KnownMigration> migrations) => string.Join(", ", migrations.Select(m => m.ToString()));

    /// <summary>Refuses, naming each and why, when any of the migrations to revert is irreversible.</summary>
    private static void RefuseIrreversible(IEnumerable<(string Migration, string? Reason)> migrations)
    {
        var irreversible = migrations.Where(m => m.Reason is not null).ToArray();
        if (irreversible.Length == 0)
        {
            return;
        }

        var named = string.Join("; ", irreversible.Take(3).Select(m => $"{m.Migration}: {m.Reason}"));
        var more = irreversible.Length > 3 ? $"; and {irreversible.Length - 3} more" : "";
        throw new MigrationException(
            MigrationErrorKind.Refused,
            $"Cannot roll back: {(irreversible.Length == 1 ? "this migration is" : $"{irreversible.Length} of these migrations are")} irreversible ({named}{more}). " +
            "Nothing was changed. Restore a backup from before it ('backups', 'restore'), or write a migration that undoes it.");
    }

    private static void RefuseUnknown(MigrationPlan plan, string operation)
    {
        if (plan.Unknown.Count > 0)
        {
            throw new MigrationException(
                MigrationErrorKind.Refused,
                $"Target database is not up to date with this code: it has applied {string.Join(", ", plan.Unknown.Select(u => $"{u.Version} ({u.Description})"))}, " +
                $"which this code does not know. Pull the latest migrations before you {operation}, or, if they came from another branch, " +
                "revert them with 'manage_migrations.sh downgrade --unknown'.");
        }
    }
}
