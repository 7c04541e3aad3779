using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.Safety;

/// <summary>Migration sets for the safety tests, compiled for the real <c>--migrations-assembly</c> option.</summary>
internal static class Fixture
{
    /// <summary>A migration with the given Up body (FluentMigrator statements) and a Down that drops <paramref name="table"/>.</summary>
    public static string Migration(long version, string description, string up, string? table = null, string attribute = "") => $$"""
        using FluentMigrator;
        namespace Safety;
        [Migration({{version}}, {{(attribute.Length > 0 ? attribute + ", " : "")}}"{{description}}")]
        public sealed class M{{version}} : Migration
        {
            public override void Up() { {{up}} }
            public override void Down() { {{(table is null ? "" : $"Delete.Table(\"{table}\");")}} }
        }
        """;

    public static string CreateTable(long version, string table, string extra = "") =>
        Migration(version, $"create {table}", $"Create.Table(\"{table}\").WithColumn(\"id\").AsInt32().PrimaryKey(){extra}; ", table);

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

    public static Task<bool> TableExistsAsync(TestDatabase database, string table) =>
        database.ScalarAsync<bool>($"SELECT to_regclass('public.{table}') IS NOT NULL");


    public static CliRunner CliFor(TestDatabase database, string assembly) => CliRunner.For(database, assembly);
}
