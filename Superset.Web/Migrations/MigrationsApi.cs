using Microsoft.AspNetCore.Http.HttpResults;

namespace Superset.Web.Migrations;

internal static class MigrationsApi
{
    /// <summary>
    /// Read-only: the schema's migrations as JSON (<c>/api/migrations</c>) and as a page (<c>/migrations</c>, the home
    /// page too). No endpoint of the web app changes the schema.
    /// </summary>
    public static IEndpointRouteBuilder MapMigrationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/migrations", (MigrationsOverviewReader reader, CancellationToken cancellationToken) => reader.ReadAsync(cancellationToken));

        app.MapGet("/migrations", async (MigrationsOverviewReader reader, CancellationToken cancellationToken) =>
            new RazorComponentResult<MigrationsPage>(new { Overview = await reader.ReadAsync(cancellationToken) }));

        app.MapGet("/", () => Results.Redirect("/migrations"));
        return app;
    }
}
