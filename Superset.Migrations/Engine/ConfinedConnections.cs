using System.Runtime.CompilerServices;
using Npgsql;
using Superset.Migrations.SqlText;

namespace Superset.Migrations.Engine;

/// <summary>
/// The connections to a throwaway database (lint, adopt, <c>--sql</c>, autogenerate): what a migration would do there
/// to the whole server (<see cref="ClusterStatements"/>: a role, another database, the server's settings) is not run,
/// and is remembered so that the caller can say so. Everything else runs as it would for real.
/// </summary>
public static class ConfinedConnections
{
    private static readonly ConditionalWeakTable<NpgsqlConnection, List<string>> Skipped = new();

    public static void Confine(NpgsqlConnection connection) => Skipped.AddOrUpdate(connection, []);

    public static bool IsConfined(NpgsqlConnection connection) => Skipped.TryGetValue(connection, out _);

    /// <summary>The statements left out on <paramref name="connection"/> so far, in order.</summary>
    public static IReadOnlyList<string> SkippedOn(NpgsqlConnection connection) =>
        Skipped.TryGetValue(connection, out var skipped) ? skipped.ToArray() : [];

    /// <summary>The script as it may run on <paramref name="connection"/>: unchanged unless the connection is confined.</summary>
    public static MigrationScript Apply(NpgsqlConnection connection, MigrationScript script)
    {
        if (!Skipped.TryGetValue(connection, out var skipped))
        {
            return script;
        }

        var steps = new List<ScriptStep>(script.Steps.Count);
        var changed = false;
        foreach (var step in script.Steps)
        {
            if (step is ScriptStep.Sql sql && Keep(sql.Statement, skipped) is var kept && kept != sql.Statement)
            {
                changed = true;
                if (kept.Length > 0)
                {
                    steps.Add(new ScriptStep.Sql(kept));
                }
            }
            else
            {
                steps.Add(step);
            }
        }

        return changed ? script.WithSteps(steps) : script;
    }

    /// <summary>The statements of <paramref name="sql"/> that may run on <paramref name="connection"/>, joined; the text itself when all may.</summary>
    public static string Filter(NpgsqlConnection connection, string sql) =>
        Skipped.TryGetValue(connection, out var skipped) ? Keep(sql, skipped) : sql;

    private static string Keep(string sql, List<string> skipped)
    {
        var statements = SqlStatementSplitter.Split(sql);
        var kept = statements.Where(s => !ClusterStatements.Find(s).Any()).ToArray();
        if (kept.Length == statements.Count)
        {
            return sql;
        }

        lock (skipped)
        {
            skipped.AddRange(statements.Except(kept).Select(s => s.Text));
        }

        return string.Join(";\n", kept.Select(s => s.Text));
    }
}
