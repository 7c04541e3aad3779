using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.Web.Migrations;

internal static class MigrationsApi
{
    /// <summary>Read-only: the schema's migrations as JSON. No endpoint of the web app changes the schema.</summary>
    public static IEndpointRouteBuilder MapMigrationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/migrations", async (NpgsqlDataSource dataSource, MigrationEngine engine, CancellationToken cancellationToken) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return MigrationsOverview.From(await engine.PlanAsync(connection, cancellationToken));
        });
        return app;
    }
}
