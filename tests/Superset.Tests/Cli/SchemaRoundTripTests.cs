using Superset.Migrations.Engine;
using Superset.Tests.Shared;

namespace Superset.Tests.Cli;

/// <summary>The SQL the engine prints is the SQL it runs, and every migration reverses exactly.</summary>
[Trait("Category", "Db")]
public sealed class SchemaRoundTripTests
{
    [Fact]
    public async Task Upgrade_sql_run_by_psql_on_an_empty_database_gives_the_schema_upgrade_gives()
    {
        var server = await TestPostgresServer.GetAsync();
        await using var byEngine = await server.CreateDatabaseAsync();
        await using var byPsql = await server.CreateDatabaseAsync();

        Assert.Equal(0, (await CliRunner.For(byEngine).RunAsync("upgrade")).ExitCode);
        var script = await CliRunner.For(byPsql).RunAsync("upgrade", "--sql");
        Assert.Equal(0, script.ExitCode);
        Assert.Equal(0L, await byPsql.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));

        var psql = await byPsql.RunPsqlAsync(script.Out);
        Assert.True(psql.Succeeded, psql.StandardError);

        Assert.Equal(
            await SchemaDump.OfAsync(server.ConnectionString(byEngine.Name), includeMigrationTables: true),
            await SchemaDump.OfAsync(server.ConnectionString(byPsql.Name), includeMigrationTables: true));
        Assert.Equal(
            await byEngine.ScalarAsync<string>("SELECT string_agg(version || ':' || checksum, ',' ORDER BY version) FROM migrations.history"),
            await byPsql.ScalarAsync<string>("SELECT string_agg(version || ':' || checksum, ',' ORDER BY version) FROM migrations.history"));
    }

    [Fact]
    public async Task Every_migration_goes_up_down_and_up_again_to_the_same_schema_one_step_at_a_time()
    {
        var server = await TestPostgresServer.GetAsync();
        await using var database = await server.CreateDatabaseAsync();
        var cli = CliRunner.For(database);
        var connection = server.ConnectionString(database.Name);
        var empty = await SchemaDump.OfAsync(connection);

        var schemas = new List<string> { empty };
        foreach (var migration in MigrationSource.App.Migrations)
        {
            Assert.Equal(0, (await cli.RunAsync("upgrade", "--target", migration.Version.ToString())).ExitCode);
            var up = await SchemaDump.OfAsync(connection);
            Assert.Equal(0, (await cli.RunAsync("downgrade")).ExitCode);
            Assert.Equal(schemas[^1], await SchemaDump.OfAsync(connection));
            Assert.Equal(0, (await cli.RunAsync("upgrade", "--target", migration.Version.ToString())).ExitCode);
            Assert.Equal(up, await SchemaDump.OfAsync(connection));
            schemas.Add(up);
        }

        Assert.Equal(0, (await cli.RunAsync("downgrade", "--target", "base")).ExitCode);
        Assert.Equal(empty, await SchemaDump.OfAsync(connection));

        Assert.Equal(0, (await cli.RunAsync("upgrade")).ExitCode);
        Assert.Equal(schemas[^1], await SchemaDump.OfAsync(connection));
    }
}
