using Superset.Migrations.Settings;
using Superset.Migrations.LocalServer;
using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.LocalServer;

/// <summary>
/// A database per git branch on the checkout's server (Postgres:DatabasePerBranch): each branch at its own head, the
/// next branch's first a copy of the one the developer came from, and the command line following the AppHost's choice.
/// </summary>
[Trait("Category", "Db")]
public sealed class BranchDatabaseTests
{
    [Fact]
    public async Task Two_branches_get_two_databases_each_at_its_own_head_and_the_second_starts_with_the_first_data()
    {
        var stateDirectory = TestPaths.NewTempDirectory("local");
        var cli = new CliRunner(databaseUri: "");
        try
        {
            var main = await cli.RunProcessAsync(Variables(stateDirectory, "main"), "upgrade", "--json");
            Assert.True(main.ExitCode == 0, main.ToString());
            Assert.Contains("Using the local development database superset_main (git branch main)", main.Error);
            Assert.EndsWith("/superset_main", main.Json.GetProperty("database").GetString());
            var cluster = LocalPostgresCluster.TryOpenExisting(stateDirectory, PostgresBinaries.Find()!)!;
            await ExecuteAsync(cluster, "superset_main", "INSERT INTO my_new_table (name) VALUES ('written on main')");

            var feature = await cli.RunProcessAsync(Variables(stateDirectory, "feature/Notes"), "upgrade", "--migrations-assembly", FeatureBranch.Assembly, "--json");
            Assert.True(feature.ExitCode == 0, feature.ToString());
            Assert.Contains("created database superset_feature_notes for this branch, as a copy of superset_main", feature.Error);
            Assert.Equal([FeatureBranch.Version], feature.Json.GetProperty("migrations").EnumerateArray().Select(m => m.GetProperty("version").GetInt64()));

            // Back on main: its database never saw the feature branch's migration, and is at its own head.
            var back = await cli.RunProcessAsync(Variables(stateDirectory, "main"), "status", "--json");
            Assert.Equal(0, back.ExitCode);
            Assert.Empty(back.Json.GetProperty("unknown").EnumerateArray());
            Assert.Equal(1L, await ScalarAsync(cluster, "superset_feature_notes", "SELECT count(*) FROM my_new_table WHERE name = 'written on main'"));
            Assert.Equal(0L, await ScalarAsync(cluster, "superset_main", $"SELECT count(*) FROM pg_tables WHERE tablename = '{FeatureBranch.Table}'"));
            Assert.Equal(4L, await ScalarAsync(cluster, "superset_feature_notes", "SELECT count(*) FROM migrations.history"));
        }
        finally
        {
            if (LocalPostgresCluster.TryOpenExisting(stateDirectory, PostgresBinaries.Find()!) is { } cluster)
            {
                await cluster.StopAsync();
            }
        }
    }

    private static Dictionary<string, string?> Variables(string stateDirectory, string branch) => new()
    {
        [SettingsReader.Variable(PostgresSettings.Keys.DataDirectory)] = stateDirectory,
        [SettingsReader.Variable(PostgresSettings.Keys.DatabasePerBranch)] = "true",
        [SettingsReader.Variable(PostgresSettings.Keys.Branch)] = branch,
    };

    private static async Task ExecuteAsync(LocalPostgresCluster cluster, string database, string sql)
    {
        var connectionString = cluster.ConnectionString(database);
        connectionString.Pooling = false;
        await using var connection = new Npgsql.NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync();
        await Superset.Migrations.Connection.SqlCommands.ExecuteAsync(connection, sql);
    }

    private static async Task<long> ScalarAsync(LocalPostgresCluster cluster, string database, string sql)
    {
        var connectionString = cluster.ConnectionString(database);
        connectionString.Pooling = false;
        await using var connection = new Npgsql.NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
