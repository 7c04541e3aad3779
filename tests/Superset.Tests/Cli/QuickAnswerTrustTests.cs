extern alias quick;
using System.Text;
using Superset.Tests.Shared;
using StoredAnswer = quick::Superset.MigrationWorker.Cli.Answers.StoredAnswer;

namespace Superset.Tests.Cli;

/// <summary>
/// The quick front prints only what a full answer would: a kept answer altered on disk (its text, its output nulled, its
/// connection, cut short), or one that others may write, is not trusted, and the command line answers in full; nothing
/// ends in an unhandled exception; a failed write leaves no file behind.
/// </summary>
[Trait("Category", "Db")]
public sealed class QuickAnswerTrustTests
{
    public static TheoryData<string, Func<string, string>> Tampering => new()
    {
        { "text altered", json => json.Replace("Current version", "Current versi0n", StringComparison.Ordinal) },
        { "output nulled", json => System.Text.RegularExpressions.Regex.Replace(json, "\"Output\":\\[.*?\\],\"ExitCode\"", "\"Output\":null,\"ExitCode\"") },
        { "another database", json => json.Replace("Database=", "Database=postgres;x=", StringComparison.Ordinal) },
        { "cut short", json => json[..(json.Length / 2)] },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task An_answer_altered_on_disk_is_not_printed_and_the_command_line_answers(string what, Func<string, string> tamper)
    {
        await using var database = await TestDatabases.NewAsync();
        var (cli, variables, answers) = Quick(database);
        var full = await cli.RunQuickAsync(variables, "status");
        var file = Assert.Single(Directory.GetFiles(answers, "*.json"));

        // Altered as an editor or another program would: the checksum at its head left as it was.
        var bytes = File.ReadAllBytes(file);
        var json = Encoding.UTF8.GetString(bytes, 32, bytes.Length - 32);
        File.WriteAllBytes(file, [.. bytes.AsSpan(0, 32), .. Encoding.UTF8.GetBytes(tamper(json))]);
        Assert.Null(StoredAnswer.Read(file));

        var again = await cli.RunQuickAsync(variables, "status");
        Assert.True(again == full, $"{what}: {again}");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task An_answer_others_may_write_is_not_trusted_and_a_new_one_is_written_owner_only()
    {
        await using var database = await TestDatabases.NewAsync();
        var (cli, variables, answers) = Quick(database);
        await cli.RunQuickAsync(variables, "status");
        var file = Assert.Single(Directory.GetFiles(answers, "*.json"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(answers, ".key")));
        Assert.NotNull(StoredAnswer.Read(file));

        File.SetUnixFileMode(file, File.GetUnixFileMode(file) | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite);
        Assert.Null(StoredAnswer.Read(file));
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(Path.Combine(answers, ".key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Null(StoredAnswer.Read(file));
    }

    [Fact]
    public void A_failed_write_leaves_no_temporary_file()
    {
        var folder = TestPaths.NewTempDirectory("answers");
        var target = Path.Combine(folder, "answer.json");
        Directory.CreateDirectory(target); // a folder where the file should go: the rename fails
        var answer = new StoredAnswer(StoredAnswer.CurrentFormat, "Host=x", null, null, default, "f", [], [], 0);

        answer.Write(target);

        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    private static (CliRunner Cli, Dictionary<string, string?> Variables, string Answers) Quick(TestDatabase database)
    {
        var cli = CliRunner.For(database);
        var cache = TestPaths.NewTempDirectory("answers");
        return (cli, new Dictionary<string, string?> { ["SQLALCHEMY_DATABASE_URI"] = cli.DatabaseUri, ["XDG_CACHE_HOME"] = cache },
            Path.Combine(cache, "superset-migrations", "answers"));
    }
}
