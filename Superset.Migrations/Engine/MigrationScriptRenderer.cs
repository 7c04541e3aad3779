using System.Globalization;
using System.Text;
using FluentMigrator;

namespace Superset.Migrations.Engine;

/// <summary>Scripts one step of a run for <c>--sql</c>: offline, or against a throwaway database that follows the run.</summary>
public delegate Task<MigrationScript> StepScripter(KnownMigration migration, MigrationDirection direction, MigrationRun run);

/// <summary>
/// What <c>--sql</c> prints: the exact statements a run would send, the engine's own (session settings, history rows,
/// events) included, in the order the run sends them. It touches nothing; a migration whose SQL depends on what the
/// database holds is scripted by the <see cref="StepScripter"/> the engine gives (see <see cref="MigrationEngine.ScriptAsync"/>).
/// </summary>
public sealed class MigrationScriptRenderer(MigrationScripter scripter, MigrationBookends bookends, ChecksumCheck checksums, MigrationEngineOptions options)
{
    /// <summary>Scripts each step from the code alone; throws <see cref="DynamicMigrationException"/> for one that asks the live schema.</summary>
    public StepScripter Offline => (migration, direction, _) => Task.FromResult(scripter.Script(migration, direction));

    /// <summary>The SQL an upgrade (or merge) would run.</summary>
    public async Task<string> UpgradeAsync(MigrationPlan plan, UpgradeRequest request, StepScripter? step = null)
    {
        step ??= Offline;
        var changed = checksums.Verify(plan, request);
        var migrations = MigrationSelector.ForUpgrade(plan, request);
        var kind = request.Merge ? RunKind.Merge : RunKind.Upgrade;
        var createsVersionInfo = !plan.KeepsVersionInfo && FluentMigratorVersionTable.IsNamedByAny(scripter, migrations);
        var run = new MigrationRun(kind, plan.KeepsVersionInfo || createsVersionInfo);

        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"-- Superset migrations: {kind.Name()} of {migrations.Count} migration(s), from {From(plan)}\n");
        sql.Append(MigrationHistory.CreateTablesSql).Append(";\n\n");
        if (createsVersionInfo)
        {
            sql.Append("-- FluentMigrator's own version table, which these migrations work on, kept in step with migrations.history\n")
                .Append(FluentMigratorVersionTable.CreateSql).Append(";\n\n");
        }

        foreach (var change in changed)
        {
            sql.Append(ChecksumCheck.AcceptSql(change, options.Actor)).Append(";\n\n");
        }

        foreach (var migration in MigrationRun.Sequence(plan.Source, migrations, kind))
        {
            Append(sql, await step(migration, MigrationDirection.Up, run), run);
        }

        return End(sql, kind, migrations);
    }

    /// <summary>The SQL a downgrade would run.</summary>
    public async Task<string> DowngradeAsync(MigrationPlan plan, DowngradeRequest request, StepScripter? step = null)
    {
        step ??= Offline;
        var migrations = MigrationSelector.ForDowngrade(plan, request, m => scripter.Reversal(m).IrreversibleReason);
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"-- Superset migrations: downgrade of {migrations.Count} migration(s), from {From(plan)}\n\n");
        var run = new MigrationRun(RunKind.Downgrade, plan.KeepsVersionInfo);
        foreach (var migration in migrations)
        {
            Append(sql, await step(migration, MigrationDirection.Down, run), run);
        }

        return End(sql, RunKind.Downgrade, migrations);
    }

    private static string From(MigrationPlan plan) => plan.Current?.Version.ToString(CultureInfo.InvariantCulture) ?? "an empty database";

    private string End(StringBuilder sql, RunKind kind, IReadOnlyList<KnownMigration> migrations) =>
        sql.Append(MigrationHistory.EventSql(kind.Name(), migrations.LastOrDefault()?.Version,
            $"{migrations.Count} migration(s) from a --sql script", options.Actor)).Append(";\n").ToString();

    private void Append(StringBuilder sql, MigrationScript script, MigrationRun run)
    {
        var migration = script.Migration;
        var label = migration.IsVersioned ? $"{migration.Version}: {migration.Description}" : migration.ToString();
        sql.Append(CultureInfo.InvariantCulture, $"-- {label} ({(script.Direction == MigrationDirection.Up ? "up" : "down")})\n");
        if (script.LiveSchemaAnswers.Count > 0)
        {
            sql.Append("-- Its SQL depends on the schema it meets; scripted against a throwaway database at this point, where: ")
                .AppendJoin("; ", script.LiveSchemaAnswers).Append('\n');
        }

        if (migration.Transactional)
        {
            sql.Append("BEGIN;\n");
        }

        foreach (var step in bookends.Around(script, run).All)
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
