using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.Safety;

/// <summary>Migration sets for the safety tests, compiled for the real <c>--migrations-assembly</c> option.</summary>
internal static class Fixture
{
    /// <summary>A migration with the given Up body (FluentMigrator statements) and a Down that drops <paramref name="table"/>.</summary>
    public static string Migration(long version, string description, string up, string? table = null, string attribute = "") =>
        MigrationSources.Migration(version, description, up, table is null ? "" : $"Delete.Table(\"{table}\");", attribute, ns: "Safety");

    public static string CreateTable(long version, string table, string extra = "") => MigrationSources.CreateTable(version, table, extra, ns: "Safety");

    public static string Compile(params string[] sources) => MigrationCompiler.Compile(TestPaths.NewTempDirectory("safety"), sources);

    public static async Task<long[]> AppliedVersionsAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await History.AppliedVersionsAsync(connection);
    }

    public static async Task AssertAppliedAsync(TestDatabase database, params long[] versions)
    {
        var applied = await AppliedVersionsAsync(database);
        Assert.Equal(versions, applied);
    }



    public static CliRunner CliFor(TestDatabase database, string assembly) => CliRunner.For(database, assembly);
}
