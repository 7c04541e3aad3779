using Npgsql;
using Superset.Migrations.Backup;
using Superset.Migrations.Engine;

namespace Superset.Web.Migrations;

/// <summary>
/// Reads the overview: the plan from the database's history (read-only: it creates nothing, not even the history
/// table), the newest backups from the backups folder (<c>Backup:Directory</c>), and the dashboard's address
/// (<c>Dashboard:Url</c>), both of which the AppHost passes.
/// </summary>
internal sealed class MigrationsOverviewReader(NpgsqlDataSource dataSource, MigrationEngine engine, IConfiguration configuration, TimeProvider time)
{
    private const int BackupsShown = 5;

    public async Task<MigrationsOverview> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var plan = await engine.PlanAsync(connection, cancellationToken);
        var backups = configuration["Backup:Directory"] is { Length: > 0 } directory
            ? BackupFile.List(directory).Where(b => b.Database == connection.Database).Take(BackupsShown).ToArray()
            : [];
        return MigrationsOverview.From(connection.Database, plan, backups, DashboardLinks(), time.GetUtcNow());
    }

    private DashboardLinks? DashboardLinks()
    {
        if (configuration["Dashboard:Url"] is not { Length: > 0 } url || !Uri.TryCreate(url, UriKind.Absolute, out var dashboard))
        {
            return null;
        }

        var root = dashboard.GetLeftPart(UriPartial.Authority);
        var worker = configuration["Dashboard:MigrationsResource"] ?? "migrations";
        return new DashboardLinks($"{root}/traces/resource/{Uri.EscapeDataString(worker)}", $"{root}/consolelogs/resource/{Uri.EscapeDataString(worker)}");
    }
}
