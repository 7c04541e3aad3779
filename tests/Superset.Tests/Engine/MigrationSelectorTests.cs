using Superset.Migrations.Engine;

namespace Superset.Tests.Engine;

/// <summary>The plan and the selection of what a run applies or reverts, from a history alone: no database.</summary>
[Trait("Category", "Unit")]
public sealed class MigrationSelectorTests
{
    private const long First = 20261124100000, Second = 20261124110000, Head = 20261124120000, Unknown = 20991231000000;

    private static MigrationPlan Plan(params long[] applied) =>
        MigrationPlan.Create(MigrationSource.App, applied.Select((version, order) => Applied(version, order + 1)).ToArray());

    private static AppliedMigration Applied(long version, long order, bool revertible = true) =>
        new(version, $"migration {version}", Checksum: null, DateTimeOffset.UnixEpoch, 0, "tests", true, "upgrade", order, revertible);

    private static long[] Versions(IEnumerable<KnownMigration> migrations) => migrations.Select(m => m.Version).ToArray();

    [Fact]
    public void Nothing_applied_everything_is_pending_in_order_and_nothing_is_current()
    {
        var plan = Plan();

        Assert.Null(plan.Current);
        Assert.Equal([First, Second, Head], Versions(plan.Pending));
        Assert.Empty(plan.OutOfOrder);
        Assert.Empty(plan.Unknown);
        Assert.False(plan.IsAtHead);
        Assert.Equal(Head, plan.Head!.Version);
    }

    [Fact]
    public void Everything_applied_is_at_head()
    {
        var plan = Plan(First, Second, Head);

        Assert.True(plan.IsAtHead);
        Assert.Equal(Head, plan.Current!.Version);
        Assert.Empty(MigrationSelector.ForUpgrade(plan, new UpgradeRequest()));
    }

    [Fact]
    public void A_pending_migration_older_than_the_current_version_is_out_of_order()
    {
        var plan = Plan(First, Head);

        Assert.Equal([Second], Versions(plan.Pending));
        Assert.Equal([Second], Versions(plan.OutOfOrder));
        Assert.Equal(Head, plan.Current!.Version);
    }

    [Fact]
    public void An_applied_version_the_code_does_not_know_is_unknown_and_not_at_head()
    {
        var plan = Plan(First, Second, Head, Unknown);

        Assert.Equal([Unknown], plan.Unknown.Select(u => u.Version));
        Assert.False(plan.IsAtHead);
        Assert.Equal(Unknown, plan.Current!.Version);
    }

    [Fact]
    public void Upgrade_selects_every_pending_migration_in_order()
    {
        Assert.Equal([Second, Head], Versions(MigrationSelector.ForUpgrade(Plan(First), new UpgradeRequest())));
    }

    [Fact]
    public void Upgrade_to_a_target_stops_there()
    {
        Assert.Equal([First, Second], Versions(MigrationSelector.ForUpgrade(Plan(), new UpgradeRequest(Target: Second))));
    }

    [Fact]
    public void Upgrade_to_a_version_no_migration_has_is_bad_input()
    {
        var error = Assert.Throws<MigrationException>(() => MigrationSelector.ForUpgrade(Plan(), new UpgradeRequest(Target: 123)));

        Assert.Equal(MigrationErrorKind.InvalidInput, error.Kind);
        Assert.StartsWith("Unknown target version 123", error.Message);
    }

    [Fact]
    public void Upgrade_refuses_out_of_order_migrations_and_names_merge()
    {
        var error = Assert.Throws<MigrationException>(() => MigrationSelector.ForUpgrade(Plan(First, Head), new UpgradeRequest()));

        Assert.Equal(MigrationErrorKind.Refused, error.Kind);
        Assert.Contains($"{Second} (add my_new_table) is older than the current version {Head}", error.Message);
        Assert.Contains("'merge'", error.Message);
    }

    [Fact]
    public void Merge_selects_only_the_out_of_order_migrations()
    {
        Assert.Equal([Second], Versions(MigrationSelector.ForUpgrade(Plan(First, Head), new UpgradeRequest(Merge: true))));
        Assert.Empty(MigrationSelector.ForUpgrade(Plan(First), new UpgradeRequest(Merge: true)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Upgrade_and_downgrade_refuse_a_database_ahead_of_the_code(bool upgrade)
    {
        var plan = Plan(First, Unknown);
        var error = Assert.Throws<MigrationException>(() => upgrade
            ? MigrationSelector.ForUpgrade(plan, new UpgradeRequest())
            : MigrationSelector.ForDowngrade(plan, new DowngradeRequest()));

        Assert.Equal(MigrationErrorKind.Refused, error.Kind);
        Assert.Contains($"{Unknown} (migration {Unknown})", error.Message);
        Assert.Contains(upgrade ? "before you upgrade" : "before you downgrade", error.Message);
    }

    [Fact]
    public void Downgrade_reverts_the_last_applied_by_default_in_the_order_of_application_not_of_version()
    {
        // Head was applied before Second (a merge): the last applied is Second.
        var plan = Plan(First, Head, Second);

        Assert.Equal([Second], Versions(MigrationSelector.ForDowngrade(plan, new DowngradeRequest())));
        Assert.Equal([Second, Head], Versions(MigrationSelector.ForDowngrade(plan, new DowngradeRequest(Steps: 2))));
    }

    [Fact]
    public void Downgrade_to_a_target_reverts_everything_above_it_and_base_reverts_all()
    {
        var plan = Plan(First, Second, Head);

        Assert.Equal([Head, Second], Versions(MigrationSelector.ForDowngrade(plan, new DowngradeRequest(Target: First))));
        Assert.Equal([Head, Second, First], Versions(MigrationSelector.ForDowngrade(plan, new DowngradeRequest(Target: 0))));
        Assert.Empty(MigrationSelector.ForDowngrade(plan, new DowngradeRequest(Target: Head)));
    }

    [Theory]
    [InlineData(4, "Cannot roll back 4 migrations: only 3 are applied.")]
    [InlineData(0, "--steps must be at least 1, not 0.")]
    public void Downgrade_of_more_steps_than_applied_or_fewer_than_one_is_bad_input(int steps, string message)
    {
        var error = Assert.Throws<MigrationException>(() => MigrationSelector.ForDowngrade(Plan(First, Second, Head), new DowngradeRequest(Steps: steps)));

        Assert.Equal(MigrationErrorKind.InvalidInput, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Downgrade_to_a_version_no_migration_has_is_bad_input()
    {
        var error = Assert.Throws<MigrationException>(() => MigrationSelector.ForDowngrade(Plan(First), new DowngradeRequest(Target: 42)));

        Assert.Equal(MigrationErrorKind.InvalidInput, error.Kind);
    }

    [Fact]
    public void Downgrade_unknown_alone_reverts_only_the_unknown_ones_and_nothing_known_even_when_there_are_none()
    {
        Assert.Empty(MigrationSelector.ForDowngrade(Plan(First, Second, Head, Unknown), new DowngradeRequest(Unknown: true)));
        Assert.Equal([Unknown], MigrationSelector.UnknownToRevert(Plan(First, Second, Head, Unknown), new DowngradeRequest(Unknown: true)).Select(u => u.Version));
        Assert.Empty(MigrationSelector.ForDowngrade(Plan(First, Second, Head), new DowngradeRequest(Unknown: true)));
        Assert.Empty(MigrationSelector.UnknownToRevert(Plan(First, Second, Head), new DowngradeRequest(Unknown: true)));
    }

    [Fact]
    public void An_upgrade_that_reverts_unknown_ones_first_sees_what_is_pending_after_them()
    {
        // Without the unknown 2099 migration, Head is pending in order, not out of order.
        var plan = Plan(First, Second, Unknown);
        var request = new UpgradeRequest(RevertUnknown: true);

        Assert.Equal([Head], Versions(MigrationSelector.ForUpgrade(plan, request)));
        Assert.Equal([Unknown], MigrationSelector.UnknownToRevert(plan, request).Select(u => u.Version));
        Assert.Empty(MigrationSelector.UnknownToRevert(plan, new UpgradeRequest()));
    }

    [Fact]
    public void Unknown_migrations_are_reverted_newest_applied_first_and_refused_when_one_has_no_stored_sql()
    {
        var applied = new[] { Applied(First, 1), Applied(Unknown, 2), Applied(Unknown + 1, 3) };
        Assert.Equal([Unknown + 1, Unknown], MigrationSelector.UnknownToRevert(MigrationPlan.Create(MigrationSource.App, applied)).Select(u => u.Version));

        var stuck = MigrationPlan.Create(MigrationSource.App, [Applied(First, 1), Applied(Unknown, 2, revertible: false)]);
        var error = Assert.Throws<MigrationException>(() => MigrationSelector.UnknownToRevert(stuck));
        Assert.Equal(MigrationErrorKind.Refused, error.Kind);
        Assert.Contains("cannot be reverted without its code", error.Message);
    }
}
