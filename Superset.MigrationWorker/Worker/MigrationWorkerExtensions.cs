using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Worker;

internal static class MigrationWorkerExtensions
{
    /// <summary>The database (through Aspire's Npgsql integration: pooling, health check, tracing), the engine and the worker.</summary>
    public static IHostApplicationBuilder AddMigrationWorker(this IHostApplicationBuilder builder, NpgsqlConnectionStringBuilder connectionString)
    {
        // A named session shows who holds the migration lock to a runner that waits for it.
        var named = new NpgsqlConnectionStringBuilder(connectionString.ConnectionString)
        {
            ApplicationName = connectionString.ApplicationName ?? "superset-migration-worker",
        };
        builder.AddNpgsqlDataSource(
            Superset.Migrations.Connection.ConnectionResolver.ConnectionName,
            settings => settings.ConnectionString = named.ConnectionString);

        builder.Services.AddSingleton(new MigrationEngine(
            MigrationSource.App,
            new MigrationEngineOptions { Actor = MigrationEngineOptions.DefaultActor("migration worker") }));
        builder.Services.AddHostedService<MigrationWorker>();
        return builder;
    }
}
