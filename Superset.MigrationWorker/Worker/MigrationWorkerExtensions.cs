using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Worker;

internal static class MigrationWorkerExtensions
{
    /// <summary>The database (through Aspire's Npgsql integration: pooling, health check, tracing), the engine and the worker.</summary>
    public static IHostApplicationBuilder AddMigrationWorker(this IHostApplicationBuilder builder, NpgsqlConnectionStringBuilder connectionString)
    {
        builder.AddNpgsqlDataSource(
            Superset.Migrations.Connection.ConnectionResolver.ConnectionName,
            settings => settings.ConnectionString = connectionString.ConnectionString);

        builder.Services.AddSingleton(new MigrationEngine(
            MigrationSource.App,
            new MigrationEngineOptions { Actor = MigrationEngineOptions.DefaultActor("migration worker") }));
        builder.Services.AddHostedService<MigrationWorker>();
        return builder;
    }
}
