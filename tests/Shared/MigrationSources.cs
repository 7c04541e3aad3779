namespace Superset.Tests.Shared;

/// <summary>
/// The one template tests write migration source with: a class <c>M&lt;version&gt;</c> with the given Up() and Down()
/// bodies (FluentMigrator statements), compiled by <see cref="MigrationCompiler"/> for the real <c>--migrations-assembly</c>.
/// </summary>
public static class MigrationSources
{
    /// <param name="migrationArguments">More arguments of <c>[Migration]</c> before the description, such as <c>TransactionBehavior.None</c>.</param>
    /// <param name="classAttributes">Attributes above the class, such as <c>[AllowUnsafe(…)]</c>.</param>
    public static string Migration(
        long version, string description, string up, string down = "", string migrationArguments = "", string classAttributes = "", string ns = "Migrations") => $$"""
        using System;
        using FluentMigrator;
        using Superset.Migrations.Lint;
        namespace {{ns}};
        {{classAttributes}}
        [Migration({{version}}, {{(migrationArguments.Length > 0 ? migrationArguments + ", " : "")}}"{{description}}")]
        public sealed class M{{version}} : Migration
        {
            public override void Up() { {{up}} }
            public override void Down() { {{down}} }
        }
        """;

    /// <summary>A migration that creates <paramref name="table"/> (an integer primary key <c>id</c>, then <paramref name="columns"/>) and drops it.</summary>
    public static string CreateTable(long version, string table, string columns = "", string ns = "Migrations") =>
        Migration(version, $"create {table}", $"Create.Table(\"{table}\").WithColumn(\"id\").AsInt32().PrimaryKey(){columns};", $"Delete.Table(\"{table}\");", ns: ns);
}
