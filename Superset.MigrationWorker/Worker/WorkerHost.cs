using Microsoft.Extensions.Configuration;
using Superset.Migrations.Connection;

namespace Superset.MigrationWorker.Worker;

/// <summary>The worker mode: a generic host with the service defaults (telemetry to the dashboard) and the worker.</summary>
internal static class WorkerHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            // A run that lasts a second has no use for reloading appsettings.json when it changes, and watching for it
            // puts an inotify watch on every folder under the content root: a quarter of a second of every start.
            Configuration = new ConfigurationManager { ["hostBuilder:reloadConfigOnChange"] = "false" },
        });

        ResolvedConnection connection;
        try
        {
            // Configuration covers the environment (ConnectionStrings__superset → ConnectionStrings:superset) and appsettings.
            connection = await ConnectionResolver.ResolveAsync(
                name => builder.Configuration[name.Replace("__", ":", StringComparison.Ordinal)],
                Directory.GetCurrentDirectory());
        }
        catch (InvalidConnectionException ex)
        {
            await Console.Error.WriteLineAsync($"❌ ERROR: {ex.Message}");
            return ex is SqliteNotSupportedException ? ExitCodes.Failed : ExitCodes.Usage;
        }
        catch (Superset.Migrations.LocalServer.LocalServerException ex)
        {
            await Console.Error.WriteLineAsync($"❌ ERROR: {ex.Message}");
            return ExitCodes.Failed;
        }

        if (connection.Notice is not null)
        {
            Console.WriteLine(connection.Notice);
        }

        builder.AddServiceDefaults();
        try
        {
            builder.AddMigrationWorker(connection.ConnectionString);
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync($"❌ ERROR: {ex.Message}");
            return ExitCodes.Usage;
        }

        using var host = builder.Build();
        await host.RunAsync();
        return Environment.ExitCode;
    }
}
