using System.Diagnostics;
using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Worker;

/// <summary>
/// Applies every pending migration, then stops the application. The exit code is set explicitly: a
/// BackgroundService that throws can end the host with code 0 (dotnet/runtime#67146), and the AppHost's
/// WaitForCompletion would then start the web app on a schema that is behind.
/// </summary>
internal sealed partial class MigrationWorker(
    NpgsqlDataSource dataSource,
    MigrationEngine engine,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    ILogger<MigrationWorker> logger) : BackgroundService
{
    private readonly ActivitySource _activitySource = new(environment.ApplicationName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = _activitySource.StartActivity("migration worker");
        Environment.ExitCode = ExitCodes.Failed;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
            var result = await engine.UpgradeAsync(connection, new UpgradeRequest(), new LoggingMigrationObserver(logger), stoppingToken);
            if (result.Migrations.Count == 0)
            {
                LogNothingPending(result.ToVersion?.ToString() ?? "empty");
            }
            else
            {
                LogApplied(result.Migrations.Count, result.ToVersion?.ToString() ?? "empty");
            }

            Environment.ExitCode = ExitCodes.Success;
        }
        catch (MigrationException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            LogMigrationError(ex, ex.Message);
            Environment.ExitCode = ExitCodes.For(ex.Kind);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogCancelled();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            LogDatabaseError(ex, ex.Message);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No pending migrations; the database is at version {Version}")]
    private partial void LogNothingPending(string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migration(s); the database is at version {Version}")]
    private partial void LogApplied(int count, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Migrations stopped: {Reason}")]
    private partial void LogMigrationError(Exception exception, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot migrate the database: {Reason}")]
    private partial void LogDatabaseError(Exception exception, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migrations cancelled: the worker is stopping")]
    private partial void LogCancelled();
}
