namespace Superset.Migrations.Engine;

/// <summary>A migration's statements between the engine's own: the settings it runs under, and what records it.</summary>
/// <param name="Settings">The session settings (asynchronous commit, timeouts) and, outside a transaction, its start mark.</param>
/// <param name="Body">The migration's own steps.</param>
/// <param name="Record">Its history row (and <c>VersionInfo</c>'s), then, outside a transaction, the settings reset.</param>
public sealed record BookendedScript(IReadOnlyList<ScriptStep> Settings, IReadOnlyList<ScriptStep> Body, IReadOnlyList<ScriptStep> Record)
{
    public IEnumerable<ScriptStep> All => Settings.Concat(Body).Concat(Record);
}

/// <summary>
/// The engine's own statements around a migration's: the session settings it runs under (an asynchronous commit, the
/// lock and statement timeouts asked for) and its history row (none for maintenance and profile migrations, which
/// FluentMigrator never records). The same for a run and for <c>--sql</c>.
/// </summary>
public sealed class MigrationBookends(MigrationEngineOptions options, MigrationScripter scripter)
{
    /// <param name="checksum">The checksum to record; the script's own when null (the live schema may have shaped it).</param>
    public BookendedScript Around(MigrationScript script, MigrationRun run, string? checksum = null)
    {
        var migration = script.Migration;
        var settings = SessionSettings(migration.Transactional).Select(ScriptStep (sql) => new ScriptStep.Sql(sql)).ToList();
        if (!migration.Transactional && migration.IsVersioned)
        {
            settings.Add(new ScriptStep.Sql(MigrationHistory.MarkStartSql));
        }

        var record = new List<ScriptStep>(4);
        if (migration.IsVersioned)
        {
            var up = script.Direction == FluentMigrator.MigrationDirection.Up;
            record.Add(new ScriptStep.Sql(up
                ? MigrationHistory.InsertSql(migration, checksum ?? script.Checksum, options.Actor, run.Kind.Name(), scripter.Reversal(migration))
                : MigrationHistory.DeleteSql(migration.Version)));
            if (run.KeepsVersionInfo)
            {
                record.Add(new ScriptStep.Sql(up ? FluentMigratorVersionTable.InsertSql(migration) : FluentMigratorVersionTable.DeleteSql(migration.Version)));
            }
        }

        if (!migration.Transactional)
        {
            if (options.LockTimeout is not null)
            {
                record.Add(new ScriptStep.Sql("RESET lock_timeout"));
            }

            if (options.StatementTimeout is not null)
            {
                record.Add(new ScriptStep.Sql("RESET statement_timeout"));
            }
        }

        return new BookendedScript(settings, script.Steps, record);
    }

    /// <summary>What a migration runs under: an asynchronous commit in its transaction, and the timeouts asked for.</summary>
    public IEnumerable<string> SessionSettings(bool transactional)
    {
        var scope = transactional ? "SET LOCAL" : "SET";
        if (transactional)
        {
            yield return "SET LOCAL synchronous_commit = off";
        }

        if (options.LockTimeout is { } lockTimeout)
        {
            yield return $"{scope} lock_timeout = {Milliseconds(lockTimeout)}";
        }

        if (options.StatementTimeout is { } statementTimeout)
        {
            yield return $"{scope} statement_timeout = {Milliseconds(statementTimeout)}";
        }
    }

    /// <summary>
    /// A timeout as PostgreSQL takes it, in whole milliseconds: zero stays zero (no timeout), anything above it is at
    /// least 1 ms, since 0 would mean the opposite of what was asked (wait forever).
    /// </summary>
    public static long Milliseconds(TimeSpan timeout) => timeout <= TimeSpan.Zero ? 0 : Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds));
}
