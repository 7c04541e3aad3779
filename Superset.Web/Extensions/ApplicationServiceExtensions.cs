using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Web.Migrations;

namespace Superset.Web.Extensions;

internal static class ApplicationServiceExtensions
{
    /// <summary>The database (Aspire's Npgsql integration: pooling, health check, tracing of every command) and the app's services.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // The same settings the migration tools read, so that one .env serves both; Aspire injects ConnectionStrings__superset.
        var setting = ConnectionResolver.FromConfiguration(builder.Configuration)
            ?? throw new InvalidOperationException($"No database configured: set {string.Join(", ", ConnectionResolver.Variables)}.");
        var connectionString = ConnectionResolver.Parse(setting);

        builder.AddNpgsqlDataSource(ConnectionResolver.ConnectionName, settings => settings.ConnectionString = connectionString.ConnectionString);

        // The migrations this build was compiled with: the web app serves only a schema at least this new.
        builder.Services.AddSingleton(new MigrationEngine(MigrationSource.App));
        builder.Services.AddHealthChecks().AddCheck<SchemaVersionHealthCheck>("schema-version", tags: ["ready"]);

        // The migrations page: server-rendered Razor, no JavaScript needed.
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<MigrationsOverviewReader>();
        builder.Services.AddRazorComponents();
        return builder;
    }
}
