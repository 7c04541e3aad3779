using System.Reflection;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Initialization;
using Microsoft.Extensions.DependencyInjection;
using Superset.Tests.Shared;

namespace Superset.Tests.RealHistories;

/// <summary>FluentMigrator's own runner, configured as a project that uses it would: what databases to adopt come from.</summary>
internal static class StockRunner
{
    public static void MigrateUp(TestDatabase database, string assemblyPath, long? target = null)
    {
        var assembly = Assembly.LoadFrom(assemblyPath);
        using var services = new ServiceCollection()
            .AddFluentMigratorCore()
            .ConfigureRunner(runner => runner.AddPostgres15_0().WithGlobalConnectionString(database.ConnectionString).ScanIn(assembly).For.All())
            .Configure<RunnerOptions>(options => options.Tags = [])
            .BuildServiceProvider(validateScopes: false);
        using var scope = services.CreateScope();
        var runner = scope.ServiceProvider.GetRequiredService<IMigrationRunner>();
        if (target is { } version)
        {
            runner.MigrateUp(version);
        }
        else
        {
            runner.MigrateUp();
        }
    }
}
