using Superset.Tests.Cli;

namespace Superset.Tests.Connection;

/// <summary>
/// A database setting that cannot be used is refused, by the real program, before anything is touched: one line, the
/// password never shown, the seed's words for SQLite. No server is needed.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DatabaseSettingRefusalTests
{
    public static TheoryData<string, string> MalformedSettings => new()
    {
        { "postgresql://admin:s3cr3t-pa55@db.internal:notaport/superset", "port 'notaport'" },
        { "mysql://admin:s3cr3t-pa55@db.internal/superset", "Unsupported database URI scheme 'mysql://'" },
        { "postgresql://admin:s3cr3t-pa55@db.internal/superset?sslmode=maybe", "Unknown sslmode 'maybe'" },
        { "Host=db.internal;Password=s3cr3t-pa55;Flavour=strawberry", "Malformed connection string" },
        { "postgresql://admin:s3cr3t-pa55%ZZ@db.internal/superset", "invalid percent-encoding" },
    };

    [Theory]
    [MemberData(nameof(MalformedSettings))]
    public async Task A_malformed_database_setting_is_one_line_that_hides_the_password(string setting, string message)
    {
        var result = await new Superset.Tests.Cli.CliRunner("unused").RunProcessAsync(
            new Dictionary<string, string?> { ["SQLALCHEMY_DATABASE_URI"] = setting }, "upgrade");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("s3cr3t-pa55", result.Error + result.Out);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Sqlite_is_refused_with_the_seed_s_message_and_exit_code_before_anything_is_touched()
    {
        var result = await new CliRunner("unused").RunProcessAsync(
            new Dictionary<string, string?> { ["SQLALCHEMY_DATABASE_URI"] = "sqlite:////tmp/superset.db" }, "upgrade");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("❌ ERROR: SQLite not supported for migrations\n   Use PostgreSQL for metadata database", result.Error.Trim());
        Assert.False(File.Exists("/tmp/superset.db"));
    }
}
