using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Migrations.LocalServer;

namespace Superset.Migrations.Outcomes;

/// <summary>
/// How a run that ended with an exception ends for the person who started it: one line, maybe a hint, and an exit code.
/// One table, for the command line, the worker and the worker's host: the same failure says the same thing and exits
/// with the same code wherever it happens.
/// </summary>
public sealed record Failure(int ExitCode, string Message, string? Hint = null)
{
    /// <summary>The failure an exception stands for; null for one that is not ours to explain (a bug), to be left to crash.</summary>
    public static Failure? From(Exception exception) => exception switch
    {
        // The seed's words and exit code.
        SqliteNotSupportedException sqlite => new(ExitCodes.Failed, sqlite.Message, SqliteNotSupportedException.Hint),
        InvalidConnectionException invalid => new(ExitCodes.Usage, invalid.Message),
        MigrationException migration => new(For(migration.Kind), migration.Message),
        LocalServerException server => new(ExitCodes.Failed, server.Message),
        PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } missing => new(ExitCodes.Failed, $"{missing.MessageText}: run 'init' to create it."),
        PostgresException postgres => new(ExitCodes.Failed, $"PostgreSQL said {postgres.SqlState}: {postgres.MessageText}"),
        NpgsqlException npgsql => new(ExitCodes.Failed, $"Cannot reach the database: {npgsql.Message}"),
        DynamicMigrationException dynamic => new(ExitCodes.Usage, dynamic.Message),
        TimeoutException or IOException or UnauthorizedAccessException => new(ExitCodes.Failed, exception.Message),
        _ => null,
    };

    public static int For(MigrationErrorKind kind) => kind switch
    {
        MigrationErrorKind.Refused => ExitCodes.Refused,
        MigrationErrorKind.LockTimeout => ExitCodes.LockTimeout,
        MigrationErrorKind.InvalidInput => ExitCodes.Usage,
        _ => ExitCodes.Failed,
    };
}
