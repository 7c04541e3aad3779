using Superset.Tests.Shared;
namespace Superset.Tests.Safety;

/// <summary>One runner at a time: concurrent upgrades (replicas, impatient people) apply each migration once.</summary>
[Trait("Category", "Db")]
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Four_concurrent_upgrade_processes_apply_every_migration_exactly_once()
    {
        await using var database = await TestDatabases.NewAsync();
        var assembly = Fixture.Compile(Enumerable.Range(1, 5)
            .Select(i => Fixture.CreateTable(i, $"t{i}", ";\nExecute.Sql(\"SELECT pg_sleep(0.3)\")")).ToArray());
        var cli = Fixture.CliFor(database, assembly);

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => cli.RunProcessAsync("upgrade", "--json")));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.ToString()));
        Assert.All(runs, run => Assert.DoesNotContain("duplicate key", run.Error));
        await Fixture.AssertAppliedAsync(database, 1L, 2, 3, 4, 5);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.events WHERE action = 'upgrade'"));
        Assert.Contains(runs, run => run.Error.Contains("Waiting for the migration lock, held by pid"));
        Assert.Single(runs, run => run.Json.GetProperty("migrations").GetArrayLength() == 5);
    }
}
