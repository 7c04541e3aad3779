using System.Reflection;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Initialization;
using Microsoft.Extensions.DependencyInjection;
using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.RealHistories;

/// <summary>
/// The FluentMigrator features real projects use, each on a real server through the real command line, and where it
/// matters compared with what FluentMigrator's own runner does with the same migrations.
/// </summary>
[Trait("Category", "Db")]
public sealed class FluentMigratorPatternsTests
{
    [Fact]
    public async Task Maintenance_migrations_run_at_their_stage_as_FluentMigrators_runner_runs_them_and_are_never_recorded()
    {
        await using var ours = await TestDatabases.NewAsync();
        await using var stock = await TestDatabases.NewAsync();
        var assembly = Corpus.Compile(Corpus.Maintenance(), Corpus.CreateAccounts(1), Corpus.Plain(2, "second", "Delete.Table(\"plain_2\");"));
        var cli = CliRunner.For(ours, assembly);

        var first = await cli.RunAsync("upgrade");
        var second = await cli.RunAsync("upgrade");
        StockRunner.MigrateUp(stock, assembly);
        StockRunner.MigrateUp(stock, assembly);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        string[] expected =
        [
            "BeforeAll", "BeforeEach", "AfterEach", "BeforeEach", "AfterEach", "BeforeProfiles", "AfterAll",
            // Nothing pending the second time: FluentMigrator still runs these.
            "BeforeAll", "BeforeProfiles", "AfterAll",
        ];
        Assert.Equal(expected, await StagesAsync(ours));
        Assert.Equal(expected, await StagesAsync(stock));
        Assert.Equal(new long[] { 1L, 2L }, await AppliedAsync(ours));
    }

    [Fact]
    public async Task A_profile_runs_after_each_upgrade_only_when_it_is_selected()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database, Corpus.Compile(Corpus.CreateAccounts(1), Corpus.DevelopmentProfile()));

        Assert.Equal(0, (await cli.RunAsync("upgrade")).ExitCode);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE id = 100"));

        var seeded = await cli.RunAsync("upgrade", "--profile", "Development");
        Assert.True(seeded.ExitCode == 0, seeded.ToString());
        cli.Variables["Migrations__Profile"] = "Development";
        Assert.Equal(0, (await cli.RunAsync("upgrade")).ExitCode);

        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE id = 100"));
        Assert.Equal(new long[] { 1L }, await AppliedAsync(database));
    }

    [Fact]
    public async Task A_tagged_migration_runs_only_when_its_tag_is_asked_for()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database, Corpus.Compile(Corpus.CreateAccounts(1), Corpus.Tagged(2, "customer-a")));

        var untagged = await cli.RunAsync("upgrade");
        Assert.True(untagged.ExitCode == 0, untagged.ToString());
        Assert.False(await database.TableExistsAsync("tagged_customer_a"));
        Assert.Equal(0, (await cli.RunAsync("status")).ExitCode);

        var tagged = await cli.RunAsync("upgrade", "--tag", "customer-a");
        Assert.True(tagged.ExitCode == 0, tagged.ToString());
        Assert.True(await database.TableExistsAsync("tagged_customer_a"));

        // Applied, but not selected: known to the code, so neither pending nor unknown.
        var status = await cli.RunAsync("status", "--json");
        Assert.Equal(0, status.ExitCode);
        Assert.Empty(status.Json.GetProperty("unknown").EnumerateArray());
    }

    [Fact]
    public async Task A_data_step_in_CSharp_runs_inside_the_migrations_transaction_and_a_failure_undoes_all_of_it()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database, Corpus.Compile(Corpus.CreateAccounts(1), Corpus.DataStepThatThrows(2)));

        var upgrade = await cli.RunAsync("upgrade");

        Assert.Equal(1, upgrade.ExitCode);
        Assert.Contains("Migration 2 (copy accounts then fail) failed while upgrading: the copy does not add up", upgrade.Error);
        Assert.Equal("first", await database.ScalarAsync<string>("SELECT name FROM accounts WHERE id = 1"));
        Assert.False(await database.TableExistsAsync("account_copies"));
        Assert.Equal(new long[] { 1L }, await AppliedAsync(database));
    }

    [Fact]
    public async Task Sql_scripts_on_disk_and_embedded_in_the_assembly_run_and_print()
    {
        await using var database = await TestDatabases.NewAsync();
        var assembly = Corpus.Compile(Corpus.ScriptFile(1, "create_from_script.sql"), Corpus.EmbeddedScript(2));
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(assembly)!, "create_from_script.sql"), Corpus.ScriptFileSql);
        var cli = CliRunner.For(database, assembly);

        var sql = await cli.RunAsync("upgrade", "--sql");
        var upgrade = await cli.RunAsync("upgrade");

        Assert.True(sql.ExitCode == 0, sql.ToString());
        Assert.Contains("CREATE TABLE from_script (id integer PRIMARY KEY, note text);", sql.Out);
        Assert.Contains("CREATE TABLE from_resource (id integer PRIMARY KEY);", sql.Out);
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Equal("from a file", await database.ScalarAsync<string>("SELECT note FROM from_script WHERE id = 1"));
        Assert.True(await database.TableExistsAsync("from_resource"));
    }

    [Fact]
    public async Task IfDatabase_takes_the_branches_FluentMigrators_PostgreSQL_runner_takes()
    {
        await using var database = await TestDatabases.NewAsync();
        await using var stock = await TestDatabases.NewAsync();
        var assembly = Corpus.Compile(Corpus.IfDatabase(1));

        var upgrade = await CliRunner.For(database, assembly).RunAsync("upgrade");
        StockRunner.MigrateUp(stock, assembly);

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        foreach (var (table, expected) in new[] { ("only_postgres", true), ("by_predicate", true), ("only_others", false) })
        {
            Assert.Equal(expected, await database.TableExistsAsync(table));
            Assert.Equal(expected, await stock.TableExistsAsync(table));
        }
    }

    [Fact]
    public async Task An_auto_reversing_migration_is_reverted_by_the_Down_FluentMigrator_writes_and_keeps_it_for_a_branch_switch()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database, Corpus.Compile(Corpus.AutoReversing(1)));

        Assert.Equal(0, (await cli.RunAsync("upgrade")).ExitCode);
        Assert.Contains("DROP TABLE", await database.ScalarAsync<string>("SELECT down_sql FROM migrations.history WHERE version = 1"));
        var downgrade = await cli.RunAsync("downgrade");

        Assert.True(downgrade.ExitCode == 0, downgrade.ToString());
        Assert.False(await database.TableExistsAsync("auto_reversed"));
    }

    [Fact]
    public async Task A_migration_outside_a_transaction_can_build_an_index_concurrently()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database, Corpus.Compile(Corpus.CreateAccounts(1), Corpus.NoTransaction(2)));

        var upgrade = await cli.RunAsync("upgrade");

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_accounts_name'"));
        Assert.False(await database.ScalarAsync<bool>("SELECT transactional FROM migrations.history WHERE version = 2"));
        Assert.Equal(0, (await cli.RunAsync("downgrade")).ExitCode);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_accounts_name'"));
    }

    [Fact]
    public async Task A_breaking_change_is_shown_and_applied_only_when_allowed_as_FluentMigrators_runner_requires()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database, Corpus.Compile(Corpus.CreateAccounts(1), Corpus.BreakingChange(2)));
        Assert.Equal(0, (await cli.RunAsync("upgrade", "--target", "1")).ExitCode);

        var status = await cli.RunAsync("status");
        var refused = await cli.RunAsync("upgrade");
        var lint = await cli.RunAsync("lint");

        Assert.Contains("2  rename accounts.name   (breaking change", status.Out);
        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("2 (rename accounts.name) is marked BreakingChange", refused.Error);
        Assert.Equal(new long[] { 1L }, await AppliedAsync(database));
        Assert.Contains("2 breaking-change", lint.Out);

        var allowed = await cli.RunAsync("upgrade", "--allow-breaking-changes");
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Equal(new long[] { 1L, 2L }, await AppliedAsync(database));
    }

    [Fact]
    public async Task A_migration_that_asks_the_live_schema_runs_prints_and_lints_against_the_schema_it_meets()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database, Corpus.Compile(Corpus.CreateAccounts(1), Corpus.AsksTheSchema(2)));

        var sql = await cli.RunAsync("upgrade", "--sql");
        var lint = await cli.RunAsync("lint");
        var upgrade = await cli.RunAsync("upgrade");

        Assert.True(sql.ExitCode == 0, sql.ToString());
        Assert.Contains("scripted against a throwaway database at this point, where: column accounts.email does not exist", sql.Out);
        Assert.Contains("ALTER TABLE \"public\".\"accounts\" ADD \"email\" varchar(200)", sql.Out);
        Assert.True(lint.ExitCode == 0, lint.ToString());
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'email'"));
        // Nothing of the --sql run or the lint is left on the server. Only this database's throwaway copies count:
        // other test classes make their own at the same time (CI failed once on a count over the whole server).
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM pg_database WHERE datname LIKE '{database.Name}_shadow_%'"));
    }

    private static async Task<string[]> StagesAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT stage FROM maintenance_log ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var stages = new List<string>();
        while (await reader.ReadAsync())
        {
            stages.Add(reader.GetString(0));
        }

        return stages.ToArray();
    }

    private static async Task<long[]> AppliedAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await History.AppliedVersionsAsync(connection);
    }

}
