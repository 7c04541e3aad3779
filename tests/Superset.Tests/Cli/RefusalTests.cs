using Superset.Tests.Shared;

namespace Superset.Tests.Cli;

/// <summary>Bad input: one clear line on stderr, a non-zero exit, and nothing changed in the database.</summary>
[Trait("Category", "Db")]
public sealed class RefusalTests
{
    /// <summary>Refusals that need the database's history to decide (parse errors are in CommandLineParsingTests, in the unit layer).</summary>
    public static TheoryData<string[], int, string> BadCommands => new()
    {
        { ["upgrade", "--target", "20991231000000"], 2, "Unknown target version 20991231000000" },
        { ["downgrade", "--steps", "9"], 2, "Cannot roll back 9 migrations: only 3 are applied" },
        { ["stamp", "20990101000000"], 2, "Unknown target version" },
        { ["downgrade", "--target", "20990101000000"], 2, "Unknown target version" },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public async Task A_bad_command_line_is_one_clear_error_and_changes_nothing(string[] arguments, int exitCode, string message)
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        var cli = CliRunner.For(database);
        var before = await SchemaDump.OfAsync(database.Server.ConnectionString(database.Name), includeMigrationTables: true);

        var result = await cli.RunAsync(arguments);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith("❌ ERROR: ", result.Error);
        Assert.Equal(before, await SchemaDump.OfAsync(database.Server.ConnectionString(database.Name), includeMigrationTables: true));
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
    }

    [Theory]
    [InlineData("add café table", "add_cafe_table", "AddCafeTable")]
    [InlineData("Add Tags-Table (v2)", "add_tags_table_v2", "AddTagsTableV2")]
    [InlineData("add user's avatar", "add_user_s_avatar", "AddUserSAvatar")]
    [InlineData("2fa secrets", "2fa_secrets", "2faSecrets")]
    [InlineData("add\ttags  table\nnow", "add_tags_table_now", "AddTagsTableNow")]
    public async Task Create_names_the_file_and_class_from_the_description(string description, string snake, string pascal)
    {
        await using var database = await TestDatabases.NewAsync();
        var directory = TestPaths.NewTempDirectory("create");
        var result = await CliRunner.For(database, migrationsDirectory: directory).RunAsync("create", description, "--empty");

        Assert.Equal(0, result.ExitCode);
        var file = Assert.Single(Directory.GetFiles(directory));
        Assert.Matches($@"^\d{{14}}_{snake}\.cs$", Path.GetFileName(file));
        var code = await File.ReadAllTextAsync(file);
        Assert.Matches($@"public sealed class M\d{{14}}_{pascal} : Migration", code);
        Assert.Contains($"\"{string.Join(' ', description.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))}\"", code);
        MigrationCompiler.Compile(TestPaths.NewTempDirectory("compiled"), [code]);
    }

    [Fact]
    public async Task Create_warns_on_vague_names_and_never_overwrites_or_reuses_a_version()
    {
        await using var database = await TestDatabases.NewAsync();
        var directory = TestPaths.NewTempDirectory("create");
        var cli = CliRunner.For(database, migrationsDirectory: directory);

        var first = await cli.RunAsync("create", "changes", "--empty");
        var second = await cli.RunAsync("create", "changes", "--empty");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("is vague", first.Error);
        var files = Directory.GetFiles(directory).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(2, files.Length);
        Assert.NotEqual(files[0]![..14], files[1]![..14]);
        Assert.Equal(0, second.ExitCode);
    }
}
