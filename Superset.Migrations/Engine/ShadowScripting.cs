using Npgsql;
using Superset.Migrations.Connection;

namespace Superset.Migrations.Engine;

/// <summary>
/// <c>--sql</c> for a run with a migration that asks the live schema what exists: the run is rendered on a throwaway
/// database of the same server, built to the database's version and then following the run step by step, so that each
/// such migration is scripted against the schema it will meet. The database itself is never touched.
/// </summary>
internal sealed class ShadowScripting(MigrationScripter scripter, SingleMigrationExecutor single, MigrationEngineOptions options)
{
    public Task<string> RenderAsync(
        NpgsqlConnectionStringBuilder database, MigrationPlan plan, Func<StepScripter, Task<string>> render, CancellationToken cancellationToken) =>
        ThrowawayDatabase.UseAsync(database, async shadow =>
        {
            await MigrationHistory.EnsureCreatedAsync(shadow, cancellationToken);
            if (plan.KeepsVersionInfo)
            {
                await SqlCommands.ExecuteAsync(shadow, FluentMigratorVersionTable.CreateSql, cancellationToken: cancellationToken);
            }

            var replay = new MigrationEngine(plan.Source.Only(plan.Applied.Select(a => a.Version)), options with { LockTimeout = null, StatementTimeout = null });
            await replay.UpgradeAsync(shadow, UpgradeRequest.Replay(), cancellationToken: cancellationToken);
            return await render(async (migration, direction, run) =>
            {
                var script = scripter.Script(migration, direction, new LiveSchema(shadow, null));
                if (run.KeepsVersionInfo)
                {
                    await SqlCommands.ExecuteAsync(shadow, FluentMigratorVersionTable.CreateSql, cancellationToken: cancellationToken);
                }

                await single.RunAsync(shadow, migration, run, cancellationToken);
                return script;
            });
        }, cancellationToken);
}
