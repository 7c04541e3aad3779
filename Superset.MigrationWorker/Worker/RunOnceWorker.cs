using System.Diagnostics;
using Superset.Migrations.Outcomes;
using Superset.Migrations.Telemetry;

namespace Superset.MigrationWorker.Worker;

/// <summary>
/// A worker that does one thing, then stops the application, with its exit code set explicitly: a BackgroundService
/// that throws can end the host with code 0 (dotnet/runtime#67146), and the AppHost's WaitForCompletion would then
/// start what comes next on a database that was not backed up or migrated.
/// </summary>
internal abstract partial class RunOnceWorker(IHostEnvironment environment, IHostApplicationLifetime lifetime, ILogger logger) : BackgroundService
{
    private readonly ActivitySource _activitySource = new(environment.ApplicationName);

    protected ILogger Logger { get; } = logger;

    protected IHostEnvironment Environment { get; } = environment;

    protected abstract string Name { get; }

    protected abstract Task RunAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = _activitySource.StartActivity(Name);
        System.Environment.ExitCode = ExitCodes.Failed;
        try
        {
            await RunAsync(stoppingToken);
            System.Environment.ExitCode = ExitCodes.Success;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogCancelled(Name);
            System.Environment.ExitCode = ExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            // A bug too ends in one logged line (with its stack trace, for the dashboard) and exit code 1, never a crash.
            var failure = Failure.Of(ex);
            activity.RecordFailure(ex);
            LogFailed(ex, Name, failure.Message);
            System.Environment.ExitCode = failure.ExitCode;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Worker} failed: {Reason}")]
    private partial void LogFailed(Exception exception, string worker, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Worker} was cancelled: the application is stopping")]
    private partial void LogCancelled(string worker);
}
