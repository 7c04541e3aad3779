using Superset.Migrations.Connection;

namespace Superset.MigrationWorker.Worker;

/// <summary>The worker mode: a generic host with the service defaults (telemetry to the dashboard) and the worker.</summary>
internal static class WorkerHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);

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
