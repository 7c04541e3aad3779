using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.Web.Migrations;

/// <summary>
/// Ready only when the database has every migration this build knows: the web app never serves a schema that
/// is behind. The description says which migrations are missing.
/// </summary>
internal sealed class SchemaVersionHealthCheck(NpgsqlDataSource dataSource, MigrationEngine engine) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var plan = await engine.PlanAsync(connection, cancellationToken);
            if (plan.Pending.Count > 0)
            {
                return HealthCheckResult.Unhealthy(
                    $"The database is at {plan.Current?.Version.ToString() ?? "no version"} but this build needs {plan.Head}: " +
                    $"{plan.Pending.Count} pending migration(s) ({string.Join(", ", plan.Pending.Select(p => p.Version))}).");
            }

            return HealthCheckResult.Healthy($"Schema at {plan.Current?.Version} ({plan.Current?.Description}).");
        }
        catch (NpgsqlException ex)
        {
            return HealthCheckResult.Unhealthy($"Cannot read the schema version: {ex.Message}", ex);
        }
    }
}
