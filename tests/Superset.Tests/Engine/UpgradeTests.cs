using Superset.Migrations.Engine;
using Superset.Tests.Shared;

namespace Superset.Tests.Engine;

[Trait("Category", "Db")]
public sealed class UpgradeTests
{
    private readonly MigrationEngine _engine = new(MigrationSource.App);

    [Fact]
    public async Task Upgrade_on_an_empty_database_applies_the_seed_tables_in_order_and_records_them()
    {
        await using var database = await TestDatabases.NewAsync();
        await using var connection = await database.OpenAsync();

        var result = await _engine.UpgradeAsync(connection, new UpgradeRequest());

        Assert.Equal([20261124100000L, 20261124110000L, 20261124120000L], result.Migrations.Select(m => m.Migration.Version));
        Assert.Null(result.FromVersion);
        Assert.Equal(20261124120000L, result.ToVersion);
        foreach (var table in new[] { "user_preferences", "my_new_table", "blog_posts" })
        {
            Assert.True(await database.TableExistsAsync(table), table);
        }

        var plan = await _engine.PlanAsync(connection);
        Assert.True(plan.IsAtHead);
        Assert.All(plan.Applied, a => Assert.Equal(64, a.Checksum!.Length));
        Assert.Equal(["upgrade"], plan.Applied.Select(a => a.AppliedVia).Distinct());
    }

    [Fact]
    public async Task A_second_upgrade_finds_nothing_to_do()
    {
        await using var database = await TestDatabases.NewAsync();
        await using var connection = await database.OpenAsync();
        await _engine.UpgradeAsync(connection, new UpgradeRequest());

        var again = await _engine.UpgradeAsync(connection, new UpgradeRequest());

        Assert.Empty(again.Migrations);
        Assert.Equal(again.FromVersion, again.ToVersion);
    }
}
