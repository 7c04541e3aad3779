using System.Reflection;
using FluentMigrator.Runner;
using Microsoft.Extensions.DependencyInjection;

// usage: Superset.Bench.StockRunner up|down <migrations.dll>   (the connection string in BENCH_CONNECTION_STRING)
if (args.Length != 2 || args[0] is not ("up" or "down"))
{
    Console.Error.WriteLine("usage: Superset.Bench.StockRunner up|down <migrations.dll>");
    return 2;
}

var assembly = Assembly.LoadFrom(Path.GetFullPath(args[1]));
var services = new ServiceCollection()
    .AddFluentMigratorCore()
    .ConfigureRunner(runner => runner
        .AddPostgres15_0()
        .WithGlobalConnectionString(Environment.GetEnvironmentVariable("BENCH_CONNECTION_STRING"))
        .ScanIn(assembly).For.Migrations())
    .BuildServiceProvider(validateScopes: false);

using var scope = services.CreateScope();
var migrations = scope.ServiceProvider.GetRequiredService<IMigrationRunner>();
if (args[0] == "up")
{
    migrations.MigrateUp();
}
else
{
    migrations.MigrateDown(0);
}

return 0;
