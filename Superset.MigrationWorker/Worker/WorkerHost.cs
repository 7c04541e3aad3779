using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Superset.Migrations.Connection;
using Superset.Migrations.Outcomes;
using Superset.Migrations.Settings;

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
            connection = await ConnectionResolver.ResolveAsync(builder.Configuration, Directory.GetCurrentDirectory());
        }
        catch (Exception ex)
        {
            return await FailAsync(Failure.Of(ex));
        }

        if (connection.Notice is not null)
        {
            Console.WriteLine(connection.Notice);
        }

        builder.AddServiceDefaults();
        try
        {
            builder.AddWorkerServices(connection.ConnectionString);
            using var host = builder.Build();

            // The settings are bound and checked as the host starts; the worker then runs to its end and stops the host.
            await host.StartAsync();
            await host.WaitForShutdownAsync();
        }
        catch (OptionsValidationException ex)
        {
            return await FailAsync(new Failure(ExitCodes.Usage, string.Join(" ", ex.Failures)));
        }
        catch (InvalidOperationException ex) when (SettingsReader.Describe(ex) is { } message)
        {
            // The configuration binder's "… 'ten' at 'Backup:Keep' to type 'System.Int32'", in the words every program uses.
            return await FailAsync(new Failure(ExitCodes.Usage, message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // What the worker did not catch itself (the host's own start, say): one line, never an unhandled exception.
            return await FailAsync(Failure.Of(ex));
        }

        return Environment.ExitCode;
    }

    private static async Task<int> FailAsync(Failure failure)
    {
        await Console.Error.WriteLineAsync($"❌ ERROR: {failure.Message}");
        if (failure.Hint is not null)
        {
            await Console.Error.WriteLineAsync($"   {failure.Hint}");
        }

        return failure.ExitCode;
    }
}
