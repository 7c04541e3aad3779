using Superset.Migrations.Engine;

namespace Superset.Tests.Shared;

/// <summary>
/// Another branch's code: the app's migrations plus one more, compiled as that branch's build would have it. A database
/// migrated with it, then opened by this build, has a migration this build does not know, as after a
/// <c>git switch</c> back to main.
/// </summary>
public static class FeatureBranch
{
    public const long Version = 20261125100000;
    public const string Table = "feature_notes";

    /// <summary>The branch whose migration's Down() is plain SQL (stored when applied, revertible without the code).</summary>
    public static MigrationSource Scriptable => Compiled.Value.Scriptable;

    /// <summary>The branch whose migration's Down() runs C# (nothing can be stored: only the code can revert it).</summary>
    public static MigrationSource WithCodeInDown => Compiled.Value.WithCode;

    /// <summary>
    /// That branch's build as the command line loads it (<c>--migrations-assembly</c>): the app's migration files and
    /// the branch's, compiled together.
    /// </summary>
    public static string Assembly => BranchAssembly.Value;

    private static readonly Lazy<string> BranchAssembly = new(() => MigrationCompiler.Compile(TestPaths.NewTempDirectory("feature-branch"),
        Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "Superset.Migrations", "Migrations"), "*.cs").Select(File.ReadAllText)
            .Append(Migration("Execute.Sql(\"DROP TABLE feature_notes\");"))));

    private static readonly Lazy<(MigrationSource Scriptable, MigrationSource WithCode)> Compiled = new(() =>
        (Source(Migration("Execute.Sql(\"DROP TABLE feature_notes\");")),
         Source(Migration("""
             Execute.WithConnection((connection, transaction) =>
             {
                 using var command = connection.CreateCommand();
                 command.Transaction = transaction;
                 command.CommandText = "DROP TABLE feature_notes";
                 command.ExecuteNonQuery();
             });
             """))));

    private static string Migration(string down) => $$"""
        using FluentMigrator;
        namespace FeatureBranch;
        [Migration({{Version}}, "add feature notes")]
        public sealed class AddFeatureNotes : Migration
        {
            public override void Up()
            {
                Create.Table("{{Table}}").WithColumn("id").AsInt32().PrimaryKey().Identity().WithColumn("body").AsString().NotNullable();
            }

            public override void Down()
            {
                {{down}}
            }
        }
        """;

    private static MigrationSource Source(string migration)
    {
        var assembly = System.Reflection.Assembly.LoadFrom(MigrationCompiler.Compile(TestPaths.NewTempDirectory("feature-branch"), [migration]));
        return MigrationSource.FromTypes(MigrationSource.App.Migrations.Select(m => m.Type).Concat(assembly.GetTypes()), "a feature branch");
    }
}
