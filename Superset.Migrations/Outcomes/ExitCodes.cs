namespace Superset.Migrations.Outcomes;

/// <summary>
/// Exit codes of the worker and the command line, documented in <c>--help</c> and the README; the AppHost's dashboard
/// commands read them too.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A migration, a backup or the database failed (the seed's code, also for SQLite).</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong: unknown command or option, bad value.</summary>
    public const int Usage = 2;

    /// <summary><c>status</c> and <c>check</c>: the database is behind the code (pending migrations).</summary>
    public const int Behind = 3;

    /// <summary>A safety check refused: out-of-order, edited or unknown migrations, drift, models ahead of migrations.</summary>
    public const int Refused = 4;

    /// <summary>Another runner held the migration lock longer than the wait allowed.</summary>
    public const int LockTimeout = 5;

    /// <summary><c>lint</c> and <c>check</c>: a migration trips an error-level lint rule that is not suppressed.</summary>
    public const int LintFailed = 6;

    /// <summary>Interrupted (Ctrl+C, SIGTERM): what shells use for a process ended by SIGINT.</summary>
    public const int Cancelled = 130;
}
