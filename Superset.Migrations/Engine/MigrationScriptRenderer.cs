using System.Globalization;
using System.Text;
using FluentMigrator;

namespace Superset.Migrations.Engine;

/// <summary>
/// What <c>--sql</c> prints: the exact statements a run would send, the engine's own (session settings, history rows,
/// events) included, from the plan alone. It touches nothing.
/// </summary>
public sealed class MigrationScriptRenderer(MigrationScripter scripter, MigrationBookends bookends, ChecksumCheck checksums, MigrationEngineOptions options)
{
    /// <summary>The SQL an upgrade (or merge) would run.</summary>
    public string Upgrade(MigrationPlan plan, UpgradeRequest request)
    {
        var changed = checksums.Verify(plan, request);
        var migrations = MigrationSelector.ForUpgrade(plan, request);
        var kind = request.Merge ? RunKind.Merge : RunKind.Upgrade;
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"-- Superset migrations: {kind.Name()} of {migrations.Count} migration(s), from {From(plan)}\n");
        sql.Append(MigrationHistory.CreateTablesSql).Append(";\n\n");
        foreach (var change in changed)
        {
            sql.Append(ChecksumCheck.AcceptSql(change, options.Actor)).Append(";\n\n");
        }

        foreach (var migration in migrations)
        {
            Append(sql, migration, MigrationDirection.Up, kind);
        }

        return End(sql, kind, migrations);
    }

    /// <summary>The SQL a downgrade would run.</summary>
    public string Downgrade(MigrationPlan plan, DowngradeRequest request)
    {
        var migrations = MigrationSelector.ForDowngrade(plan, request);
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"-- Superset migrations: downgrade of {migrations.Count} migration(s), from {From(plan)}\n\n");
        foreach (var migration in migrations)
        {
            Append(sql, migration, MigrationDirection.Down, RunKind.Downgrade);
        }

        return End(sql, RunKind.Downgrade, migrations);
    }

    private static string From(MigrationPlan plan) => plan.Current?.Version.ToString(CultureInfo.InvariantCulture) ?? "an empty database";

    private string End(StringBuilder sql, RunKind kind, IReadOnlyList<KnownMigration> migrations) =>
        sql.Append(MigrationHistory.EventSql(kind.Name(), migrations.LastOrDefault()?.Version,
            $"{migrations.Count} migration(s) from a --sql script", options.Actor)).Append(";\n").ToString();

    private void Append(StringBuilder sql, KnownMigration migration, MigrationDirection direction, RunKind kind)
    {
        MigrationScript script;
        try
        {
            script = scripter.Script(migration, direction);
        }
        catch (DynamicMigrationException)
        {
            throw new MigrationException(MigrationErrorKind.InvalidInput,
                $"Migration {migration} asks the live database about its schema, so its SQL cannot be printed ahead of time.");
        }

        sql.Append(CultureInfo.InvariantCulture, $"-- {migration.Version}: {migration.Description} ({(direction == MigrationDirection.Up ? "up" : "down")})\n");
        if (migration.Transactional)
        {
            sql.Append("BEGIN;\n");
        }

        foreach (var step in bookends.Around(script, kind))
        {
            sql.Append(step.Text.TrimEnd().TrimEnd(';')).Append(step is ScriptStep.Code ? "\n" : ";\n");
        }

        if (migration.Transactional)
        {
            sql.Append("COMMIT;\n");
        }

        sql.Append('\n');
    }
}
