using Superset.Migrations.Engine;
using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.RealHistories;

/// <summary>
/// A migration that cannot be reverted (a ForwardOnlyMigration, a Down() that throws, or one that does nothing) is
/// applied like any other; its history says why it is irreversible, and every way of reverting it refuses before it
/// changes anything.
/// </summary>
[Trait("Category", "Db")]
public sealed class IrreversibleMigrationTests
{
    public static TheoryData<string> Kinds => new() { "forward-only", "not-implemented", "throws", "empty" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task It_is_applied_recorded_as_irreversible_and_a_downgrade_refuses_before_changing_anything(string kind)
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database, Corpus.Compile(Corpus.Plain(1, "first", "Delete.Table(\"plain_1\");"), Corpus.Irreversible(2, kind)));

        var upgrade = await cli.RunAsync("upgrade");
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.StartsWith(Corpus.IrreversibleReason(kind), await database.ScalarAsync<string>("SELECT irreversible FROM migrations.history WHERE version = 2"));

        var downgrade = await cli.RunAsync("downgrade");
        var sql = await cli.RunAsync("downgrade", "--sql");
        var all = await cli.RunAsync("downgrade", "--target", "base");
        var history = await cli.RunAsync("history");

        foreach (var refused in new[] { downgrade, sql, all })
        {
            Assert.True(refused.ExitCode == 4, refused.ToString());
            Assert.Contains("Cannot roll back", refused.Error);
            Assert.Contains($"2 (", refused.Error);
            Assert.Contains(Corpus.IrreversibleReason(kind), refused.Error);
            Assert.Contains("Nothing was changed", refused.Error);
        }

        Assert.Contains($"[irreversible: {Corpus.IrreversibleReason(kind)}", history.Out);
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
        Assert.True(await database.TableExistsAsync(kind == "forward-only" ? "forward_only" : "plain_2"));
        Assert.True(await database.TableExistsAsync("plain_1"));
    }

    [Fact]
    public async Task Once_its_code_is_gone_a_revert_from_another_branch_refuses_it_too()
    {
        await using var database = await TestDatabases.NewAsync();
        var withIt = Corpus.Compile(Corpus.Plain(1, "first", "Delete.Table(\"plain_1\");"), Corpus.Irreversible(2, "not-implemented"));
        var without = Corpus.Compile(Corpus.Plain(1, "first", "Delete.Table(\"plain_1\");"));
        Assert.Equal(0, (await CliRunner.For(database, withIt).RunAsync("upgrade")).ExitCode);

        var status = await CliRunner.For(database, without).RunAsync("status");
        var unknown = await CliRunner.For(database, without).RunAsync("downgrade", "--unknown");
        await using var connection = await database.OpenAsync();
        var engine = new MigrationEngine(MigrationSource.FromAssembly(System.Reflection.Assembly.LoadFrom(without)));
        var f5 = await Assert.ThrowsAsync<MigrationException>(() => engine.UpgradeAsync(connection, new UpgradeRequest(RevertUnknown: true)));

        Assert.Contains("(irreversible: its Down() throws NotImplementedException", status.Out);
        Assert.True(unknown.ExitCode == 4, unknown.ToString());
        Assert.Contains("2 (down not implemented): its Down() throws NotImplementedException", unknown.Error);
        Assert.Equal(MigrationErrorKind.Refused, f5.Kind);
        Assert.Contains("irreversible", f5.Message);
        Assert.True(await database.TableExistsAsync("plain_2"));
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
    }

    [Fact]
    public async Task A_migration_whose_Up_and_Down_both_do_nothing_can_be_rolled_back()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database, Corpus.Compile(Corpus.Plain(1, "first", "Delete.Table(\"plain_1\");"), """
            using FluentMigrator;
            namespace Corpus;
            [Migration(2, "nothing yet")]
            public sealed class NothingYet : Migration { public override void Up() { } public override void Down() { } }
            """));
        Assert.Equal(0, (await cli.RunAsync("upgrade")).ExitCode);

        var downgrade = await cli.RunAsync("downgrade");

        Assert.True(downgrade.ExitCode == 0, downgrade.ToString());
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
    }
}
