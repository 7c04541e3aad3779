using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Superset.AppHost.Backup;
using Superset.Migrations.Settings;

namespace Superset.AppHost.Web;

internal static class MigrationsPageExtensions
{
    private const string DashboardResource = "aspire-dashboard";

    /// <summary>
    /// What the web app's migrations page shows beyond the database: the latest backups (the backups folder) and links
    /// to the migration worker's traces and log in the dashboard (its address, never its login token).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMigrationsPageLinks(this IResourceBuilder<ProjectResource> web, PreUpgradeBackup backups)
    {
        var builder = web.ApplicationBuilder;
        if (backups.Settings.Enabled && builder.ExecutionContext.IsRunMode)
        {
            web.WithEnvironment(SettingsReader.Variable(BackupSettings.Keys.Directory), backups.Directory);
        }

        if (builder.ExecutionContext.IsRunMode)
        {
            web.WithEnvironment(context =>
            {
                if (DashboardAddress(context.ExecutionContext.Services, builder.Configuration) is { } address)
                {
                    context.EnvironmentVariables["Dashboard__Url"] = address;
                }
            });
        }

        return web;
    }

    /// <summary>The dashboard's browser address as it runs (the web app starts after it), else as configured.</summary>
    private static string? DashboardAddress(IServiceProvider services, IConfiguration configuration)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var url = notifications.TryGetCurrentState(DashboardResource, out var dashboard)
            ? dashboard.Snapshot.Urls.FirstOrDefault(u => u.Name is "https" or "http")?.Url
            : configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;
    }
}
