using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Outcomes;

namespace Superset.Tests.Outcomes;

/// <summary>The one table from a failure to its line and exit code, which the command line and the worker share.</summary>
[Trait("Category", "Unit")]
public sealed class FailureTests
{
    public static TheoryData<Exception, int> Failures => new()
    {
        { new MigrationException(MigrationErrorKind.Refused, "edited"), ExitCodes.Refused },
        { new MigrationException(MigrationErrorKind.LockTimeout, "held"), ExitCodes.LockTimeout },
        { new MigrationException(MigrationErrorKind.InvalidInput, "no such version"), ExitCodes.Usage },
        { new MigrationException(MigrationErrorKind.Failed, "division by zero"), ExitCodes.Failed },
        { new InvalidConnectionException("Unsupported database URI scheme 'mysql://'"), ExitCodes.Usage },
        { new SqliteNotSupportedException(), ExitCodes.Failed },
        { new LocalServerException("port 54320 is in use"), ExitCodes.Failed },
        { new NpgsqlException("connection refused"), ExitCodes.Failed },
        { new IOException("disk full"), ExitCodes.Failed },
        { new TimeoutException("slow"), ExitCodes.Failed },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Each_failure_of_ours_has_its_exit_code_and_keeps_its_message(Exception exception, int exitCode)
    {
        var failure = Failure.From(exception);

        Assert.NotNull(failure);
        Assert.Equal(exitCode, failure.ExitCode);
        Assert.Contains(exception.Message, failure.Message);
    }

    [Fact]
    public void Sqlite_keeps_the_seed_words_and_hint()
    {
        var failure = Failure.From(new SqliteNotSupportedException())!;

        Assert.Equal("SQLite not supported for migrations", failure.Message);
        Assert.Equal("Use PostgreSQL for metadata database", failure.Hint);
    }

    [Fact]
    public void A_bug_is_not_ours_to_explain()
    {
        Assert.Null(Failure.From(new NullReferenceException()));
        Assert.Null(Failure.From(new ArgumentException("bad argument")));
    }
}
