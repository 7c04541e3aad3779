using FluentMigrator;
namespace Superset.Migrations.Engine;

/// <summary>Why the engine stopped; callers map it to an exit code or an HTTP status.</summary>
public enum MigrationErrorKind
{
    /// <summary>A migration or the database failed; the failing migration was rolled back.</summary>
    Failed,

    /// <summary>A safety check refused to run: out-of-order, edited or unknown migrations, drift.</summary>
    Refused,

    /// <summary>Another runner held the migration lock for longer than the wait allowed.</summary>
    LockTimeout,

    /// <summary>The request itself was wrong (an unknown target version, a bad step count).</summary>
    InvalidInput,
}

/// <summary>An error whose message is written for the person at the terminal: one line, what and why.</summary>
public class MigrationException(MigrationErrorKind kind, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public MigrationErrorKind Kind { get; } = kind;
}

/// <summary>A migration that failed while running; everything it did was rolled back.</summary>
public sealed class MigrationFailedException(MigrationRef migration, MigrationDirection direction, Exception innerException)
    : MigrationException(
        MigrationErrorKind.Failed,
        $"Migration {migration} failed while {(direction == MigrationDirection.Up ? "upgrading" : "downgrading")}: {Describe(innerException)}",
        innerException)
{
    public MigrationRef Migration { get; } = migration;

    public MigrationDirection Direction { get; } = direction;

    private static string Describe(Exception exception) => exception switch
    {
        Npgsql.PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        _ => exception.Message,
    };
}

/// <summary>Two migrations share a version, or a migration class cannot be used.</summary>
public sealed class InvalidMigrationSetException(string message) : MigrationException(MigrationErrorKind.InvalidInput, message);

/// <summary>
/// A migration's own code threw (its constructor, <c>Up()</c>, <c>Down()</c>, or an expression it built): the run stops at
/// it with nothing of it applied, and the message names the migration, what threw and what it said.
/// </summary>
public sealed class MigrationCodeException(KnownMigration migration, string where, Exception innerException)
    : MigrationException(MigrationErrorKind.Failed, $"Migration {migration} cannot be run: {where} threw {Describe(innerException)}", innerException)
{
    public KnownMigration Migration { get; } = migration;

    /// <summary>What threw ("its Down()").</summary>
    public string Where { get; } = where;

    /// <summary><c>NotImplementedException: The method or operation is not implemented.</c>, on one line.</summary>
    public static string Describe(Exception exception) =>
        $"{exception.GetType().Name}: {string.Join(' ', exception.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}";
}
