using FluentMigrator;
using Npgsql;
using Superset.Migrations.Autogenerate;
using Superset.Migrations.Engine;

namespace Superset.Migrations.Lint;

/// <summary>
/// Lints migrations by the SQL they really send, on a throwaway database of the same server built from the migrations
/// themselves: each linted migration meets the schema it will meet (so the rules know what exists, and with which
/// types), its Up SQL is watched statement by statement on the server (<see cref="StatementObserver"/>: rewrites and
/// locks) and goes through <see cref="SqlStatementLinter"/>, and then it is replayed up, down and up again, which
/// catches a Down() that does not undo its Up().
/// </summary>
public static class MigrationLinter
{
    public static Task<IReadOnlyList<LintFinding>> LintAsync(
        NpgsqlConnectionStringBuilder server, MigrationSource source, IReadOnlyCollection<long> versions, CancellationToken cancellationToken = default) =>
        versions.Count == 0
            ? Task.FromResult<IReadOnlyList<LintFinding>>([])
            : LintOnThrowawayAsync(server, source, versions, cancellationToken);

    private static async Task<IReadOnlyList<LintFinding>> LintOnThrowawayAsync(
        NpgsqlConnectionStringBuilder server, MigrationSource source, IReadOnlyCollection<long> versions, CancellationToken cancellationToken)
    {
        try
        {
            return await Connection.ThrowawayDatabase.UseAsync(server, connection => ReplayAsync(connection, source, versions, cancellationToken), cancellationToken);
        }
        catch (MigrationFailedException ex)
        {
            // Said as what it is: a replay on lint's own database, not an upgrade of the user's.
            var reason = ex.InnerException is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : ex.InnerException?.Message ?? ex.Message;
            var hint = ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled }
                ? " It ran past the statement_timeout set for this user or database (ALTER ROLE … SET statement_timeout), which lint's replay runs under too: raise it for the user lint connects as."
                : " Fix the migration so that it runs on an empty database built by the migrations before it.";
            throw new MigrationException(MigrationErrorKind.Failed,
                $"Lint replays the migrations on a throwaway database, and migration {ex.Migration} failed there ({reason}); nothing outside that database was changed.{hint}", ex);
        }
    }

    private static async Task<IReadOnlyList<LintFinding>> ReplayAsync(
        NpgsqlConnection connection, MigrationSource source, IReadOnlyCollection<long> versions, CancellationToken cancellationToken)
    {
        var engine = new MigrationEngine(source, new MigrationEngineOptions { Actor = MigrationEngineOptions.DefaultActor("lint"), LockTimeout = null });
        var findings = new List<LintFinding>();
        var last = versions.Max();
        foreach (var migration in source.Migrations.TakeWhile(m => m.Version <= last))
        {
            try
            {
                findings.AddRange(await LintOneAsync(connection, engine, migration, versions, cancellationToken));
            }
            catch (PostgresException ex)
            {
                // Read or watched outside the engine's own runs: named after the migration all the same.
                throw new MigrationFailedException(MigrationRef.From(migration), MigrationDirection.Up, ex);
            }
        }

        return findings;
    }

    private static async Task<IReadOnlyList<LintFinding>> LintOneAsync(
        NpgsqlConnection connection, MigrationEngine engine, KnownMigration migration, IReadOnlyCollection<long> versions, CancellationToken cancellationToken)
    {
        var findings = new List<LintFinding>();
        if (!versions.Contains(migration.Version))
        {
            await engine.UpgradeAsync(connection, UpgradeRequest.Replay(migration.Version), cancellationToken: cancellationToken);
            return findings;
        }

        if (migration.BreakingChange)
        {
            findings.Add(LintFinding.For(migration, LintRules.BreakingChange, "is marked BreakingChange"));
        }

        var before = await CatalogReader.ReadAsync(connection, cancellationToken);
        var script = engine.Scripter.Script(migration, MigrationDirection.Up, new LiveSchema(connection, null));
        var statements = script.Steps.OfType<ScriptStep.Sql>().Select(s => s.Statement).ToArray();

        // What each statement does on the server, watched in a transaction rolled back at once: only a migration
        // that is one transaction of plain SQL can be watched so.
        var observed = migration.Transactional && script.Steps.All(s => s is ScriptStep.Sql)
            ? await StatementObserver.ObserveAsync(connection, statements, cancellationToken)
            : null;
        findings.AddRange(SqlStatementLinter.Lint(migration, statements, before, observed));

        await engine.UpgradeAsync(connection, UpgradeRequest.Replay(migration.Version), cancellationToken: cancellationToken);
        findings.AddRange(await ReplayDownAsync(connection, engine, migration, before, cancellationToken));

        return findings;
    }

    /// <summary>Down, then the schema compared with the one before Up, then Up again for the migrations after it.</summary>
    private static async Task<IEnumerable<LintFinding>> ReplayDownAsync(
        NpgsqlConnection connection, MigrationEngine engine, KnownMigration migration, Schema.DatabaseSchema before, CancellationToken cancellationToken)
    {
        switch (engine.Scripter.Reversal(migration))
        {
            case Reversal.EmptyDown:
                // Up then a Down that does nothing: the schema as Up left it.
                return Differences(migration, SchemaDrift.Describe(before, await CatalogReader.ReadAsync(connection, cancellationToken)));
            case Reversal.Irreversible:
                // Declared irreversible (ForwardOnlyMigration, a Down() that throws): there is no Down() to check.
                return [];
        }

        try
        {
            await engine.DowngradeAsync(connection, new DowngradeRequest(Steps: 1), cancellationToken: cancellationToken);
        }
        catch (MigrationFailedException ex)
        {
            // Rolled back: the database is as Up left it, which is what the next migration expects.
            return [LintFinding.For(migration, LintRules.DownDoesNotUndoUp, $"Down() fails after Up(): {ex.InnerException?.Message ?? ex.Message}")];
        }

        var differences = SchemaDrift.Describe(before, await CatalogReader.ReadAsync(connection, cancellationToken));
        try
        {
            await engine.UpgradeAsync(connection, UpgradeRequest.Replay(migration.Version), cancellationToken: cancellationToken);
        }
        catch (MigrationFailedException) when (differences.Count > 0)
        {
            // What Down() left behind keeps Up() from running again: recorded as applied, the schema as Down() left it.
            await engine.StampAsync(connection, migration.Version, cancellationToken);
        }

        return Differences(migration, differences);
    }

    private static IEnumerable<LintFinding> Differences(KnownMigration migration, IReadOnlyList<string> differences) =>
        differences.Count == 0
            ? []
            : [LintFinding.For(migration, LintRules.DownDoesNotUndoUp, $"after Up() and Down(), {string.Join("; ", differences.Take(3))}{(differences.Count > 3 ? $" (and {differences.Count - 3} more)" : "")}")];
}
