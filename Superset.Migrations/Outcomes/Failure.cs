using System.Reflection;
using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Migrations.LocalServer;

namespace Superset.Migrations.Outcomes;

/// <summary>
/// How a run that ended with an exception ends for the person who started it: one line, maybe a hint, and an exit code.
/// One table, for the command line, the worker and the worker's host: the same failure says the same thing and exits
/// with the same code wherever it happens. Nothing ends in an unhandled exception: what is not ours to explain (a bug)
/// still ends in one line and exit code 1 (<see cref="Of"/>).
/// </summary>
public sealed record Failure(int ExitCode, string Message, string? Hint = null)
{
    /// <summary>What a bug says besides its one line: where to find more.</summary>
    public const string BugHint = "This is a bug in Superset migrations: set SUPERSET_TRACE=1 to print the stack trace, and report it with it.";

    /// <summary>The failure an exception stands for; null for one that is not ours to explain (a bug).</summary>
    public static Failure? From(Exception exception) => Unwrap(exception) switch
    {
        // The seed's words and exit code.
        SqliteNotSupportedException sqlite => new(ExitCodes.Failed, sqlite.Message, SqliteNotSupportedException.Hint),
        InvalidConnectionException invalid => new(ExitCodes.Usage, invalid.Message),
        Settings.InvalidSettingException setting => new(ExitCodes.Usage, setting.Message),
        MigrationException migration => new(For(migration.Kind), migration.Message),
        LocalServerException server => new(ExitCodes.Failed, server.Message),
        DatabaseUnreachableException unreachable => new(ExitCodes.Failed, unreachable.Message),
        PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } missing => new(ExitCodes.Failed, $"{missing.MessageText}: run 'init' to create it."),
        PostgresException postgres => new(ExitCodes.Failed, $"PostgreSQL said {postgres.SqlState}: {postgres.MessageText}"),
        NpgsqlException npgsql => new(ExitCodes.Failed, $"The database connection failed: {npgsql.Message}"),
        // Npgsql reports a connection that broke under it (the server stopped, the session was terminated) this way.
        InvalidOperationException lost when IsFromNpgsql(lost) => new(ExitCodes.Failed,
            $"The database connection was lost ({lost.Message}): each migration committed with its history row or not at all; run 'status' to see where it stopped."),
        DynamicMigrationException dynamic => new(ExitCodes.Usage, dynamic.Message),
        TimeoutException or IOException or UnauthorizedAccessException => new(ExitCodes.Failed, Unwrap(exception).Message),
        _ => null,
    };

    /// <summary>The failure an exception stands for, a bug included (exit 1, its type and message, and <see cref="BugHint"/>).</summary>
    public static Failure Of(Exception exception) =>
        From(exception) ?? new(ExitCodes.Failed, $"Unexpected error: {MigrationCodeException.Describe(Unwrap(exception))}", BugHint);

    public static int For(MigrationErrorKind kind) => kind switch
    {
        MigrationErrorKind.Refused => ExitCodes.Refused,
        MigrationErrorKind.LockTimeout => ExitCodes.LockTimeout,
        MigrationErrorKind.InvalidInput => ExitCodes.Usage,
        _ => ExitCodes.Failed,
    };

    /// <summary>The exception that says what happened, under the wrappers of static constructors, reflection and tasks.</summary>
    public static Exception Unwrap(Exception exception) => exception switch
    {
        TypeInitializationException { InnerException: { } inner } => Unwrap(inner),
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        _ => exception,
    };

    private static bool IsFromNpgsql(Exception exception) =>
        exception.TargetSite?.DeclaringType?.Namespace?.StartsWith("Npgsql", StringComparison.Ordinal) == true
        || exception.Source == "Npgsql";
}
