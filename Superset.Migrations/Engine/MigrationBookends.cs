namespace Superset.Migrations.Engine;

/// <summary>
/// The engine's own statements around a migration's: the session settings it runs under (an asynchronous commit, the
/// lock and statement timeouts asked for) and its history row. The same for a run and for <c>--sql</c>.
/// </summary>
public sealed class MigrationBookends(MigrationEngineOptions options, MigrationScripter scripter)
{
    /// <param name="checksum">The checksum to record; the script's own when null (the live schema may have shaped it).</param>
    public IReadOnlyList<ScriptStep> Around(MigrationScript script, RunKind kind, string? checksum = null)
    {
        var migration = script.Migration;
        var steps = new List<ScriptStep>(script.Steps.Count + 6);
        steps.AddRange(SessionSettings(migration.Transactional).Select(sql => new ScriptStep.Sql(sql)));

        if (!migration.Transactional)
        {
            steps.Add(new ScriptStep.Sql(MigrationHistory.MarkStartSql));
        }

        steps.AddRange(script.Steps);
        steps.Add(new ScriptStep.Sql(script.Direction == FluentMigrator.MigrationDirection.Up
            ? MigrationHistory.InsertSql(migration, checksum ?? script.Checksum, options.Actor, kind.Name(), scripter.TryScriptDownSql(migration))
            : MigrationHistory.DeleteSql(migration.Version)));

        if (!migration.Transactional)
        {
            if (options.LockTimeout is not null)
            {
                steps.Add(new ScriptStep.Sql("RESET lock_timeout"));
            }

            if (options.StatementTimeout is not null)
            {
                steps.Add(new ScriptStep.Sql("RESET statement_timeout"));
            }
        }

        return steps;
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
            yield return $"{scope} lock_timeout = {(long)lockTimeout.TotalMilliseconds}";
        }

        if (options.StatementTimeout is { } statementTimeout)
        {
            yield return $"{scope} statement_timeout = {(long)statementTimeout.TotalMilliseconds}";
        }
    }
}
