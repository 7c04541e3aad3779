using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.Cli;

/// <summary><c>create</c> refuses a description that cannot name a migration before it looks at anything, and writes nothing.</summary>
[Trait("Category", "Unit")]
public sealed class CreateRefusalTests
{
    public static TheoryData<string, string> BadDescriptions => new()
    {
        { "", "A description is required" },
        { "   ", "A description is required" },
        { "add \"quoted\" table", "contains '\"'" },
        { "x'; DROP TABLE blog_posts; --", "contains ';'" },
        { "日本語のテーブル", "makes no valid identifier" },
        { "!!!", "contains '!'" },
        { new string('a', 10_000), "has 10000 characters" },
    };

    [Theory]
    [MemberData(nameof(BadDescriptions))]
    public async Task Create_refuses_descriptions_that_cannot_name_a_migration_and_writes_nothing(string description, string message)
    {
        var directory = TestPaths.NewTempDirectory("create");
        var result = await new CliRunner("postgresql://nobody:nothing@127.0.0.1:1/none", migrationsDirectory: directory).RunAsync("create", description);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Empty(Directory.GetFiles(directory));
    }

}
