using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Superset.AppHost.Postgres;
using Superset.Migrations.Backup;
using Superset.Migrations.Engine;
using Superset.Migrations.Settings;

namespace Superset.AppHost.Migrations;

/// <summary>
/// The backup and migration steps start only when they have something to do. Each is a .NET process that DCP starts
/// and watches exit, about 1.5 s of every F5 (bench/run.sh figure 3) even when nothing is pending, which is most F5s.
/// So both are explicit-start resources, and when the migration step initializes, once the database is healthy, the
/// AppHost reads its history (no lock, no write) and decides, once for both: nothing pending → both are marked finished,
/// with the reason in their log and properties; a fresh database → no backup, then the worker; otherwise the backup,
/// then the worker, exactly as before. Whatever the AppHost cannot decide (the database failed, the read failed) starts
/// the steps, which then behave as they always did, so the web app still starts only once the schema is at head.
/// </summary>
internal sealed class MigrationStepsGate(
    MigrationSteps steps, IHostApplicationLifetime lifetime, ResourceNotificationService notifications, ResourceCommandService commands,
    ResourceLoggerService loggers, ILogger<MigrationStepsGate> logger) : IDistributedApplicationEventingSubscriber
{
    public const string SkippedProperty = "superset.step.skipped";

    /// <summary>How long the read of the history may take before the steps are started anyway.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(15);

    public Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        // Not AfterResourcesCreatedEvent: Aspire raises it only once every resource has started, and the web app's
        // start waits for the migrations, which would wait for this. The steps' InitializeResourceEvent is published
        // without waiting for its handlers: the decision runs beside everything else.
        eventing.Subscribe<InitializeResourceEvent>(steps.Migrations, (_, _) => DecideAsync());
        return Task.CompletedTask;
    }

    private async Task DecideAsync()
    {
        await Task.Yield();
        var stopping = lifetime.ApplicationStopping;
        var backup = steps.Backup.Step?.Resource;
        var migrations = steps.Migrations;
        try
        {
            // DCP lays out explicit-start steps as NotStarted; starting or finishing one before that would race it.
            foreach (var step in new[] { backup, migrations }.OfType<IResource>())
            {
                await notifications.WaitForResourceAsync(step.Name, KnownResourceStates.NotStarted, stopping);
            }

            // An earlier run's backup is not this run's.
            BackupHandover.Clear(steps.Backup.Handover);
            lifetime.ApplicationStopped.Register(() => BackupHandover.Clear(steps.Backup.Handover));
            var check = await CheckAsync(stopping);
            var migrationsLog = loggers.GetLogger(migrations);
            switch (check?.Work)
            {
                case StartupWork.None:
                    if (backup is not null)
                    {
                        await SkipAsync(loggers.GetLogger(backup), backup, $"No backup needed: {check.Reason}.");
                    }

                    await SkipAsync(migrationsLog, migrations, $"Not started: {check.Reason}.");
                    return;
                case StartupWork.MigrateOnly when backup is not null:
                    await SkipAsync(loggers.GetLogger(backup), backup, $"No backup: {check.Reason}.");
                    break;
                default:
                    // Work to do, or no way to tell (the steps then report whatever is wrong): both run, as ever.
                    if (check is not null)
                    {
                        migrationsLog.LogInformation("Starting: {Reason}", check.Reason);
                    }

                    if (backup is not null)
                    {
                        await StartAsync(backup, stopping);
                    }

                    break;
            }

            await StartAsync(migrations, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The AppHost stops before the steps were needed.
        }
    }

    /// <summary>The decision, or null when it cannot be made (the steps then run and report whatever is wrong).</summary>
    private async Task<StartupCheck?> CheckAsync(CancellationToken stopping)
    {
        var postgres = steps.Postgres;
        try
        {
            // A database that fails ends this wait with an exception; the steps then fail on their own WaitFor.
            if (postgres.Mode != PostgresMode.External)
            {
                await notifications.WaitForResourceHealthyAsync(postgres.Database.Resource.Name, WaitBehavior.StopOnResourceUnavailable, stopping);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(CheckTimeout);
            var connectionString = new NpgsqlConnectionStringBuilder(
                await postgres.Database.Resource.GetConnectionStringAsync(timeout.Token))
            {
                Pooling = false,
                ApplicationName = "superset-apphost",
                Timeout = (int)CheckTimeout.TotalSeconds,
            };
            await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
            await connection.OpenAsync(timeout.Token);
            return await StartupCheck.RunAsync(new MigrationEngine(MigrationSource.App), connection, timeout.Token, steps.SeedDataset);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            logger.LogDebug(ex, "Could not tell whether migrations are pending: starting the steps");
            return null;
        }
    }

    private Task StartAsync(IResource step, CancellationToken cancellationToken) =>
        commands.ExecuteCommandAsync(step, KnownResourceCommands.StartCommand, cancellationToken);

    /// <summary>Finished with exit code 0 without running: what WaitForCompletion waits for, and the reason, for the developer.</summary>
    private async Task SkipAsync(ILogger stepLogger, IResource step, string reason)
    {
        stepLogger.LogInformation("{Reason}", reason);
        var now = DateTime.UtcNow;
        await notifications.PublishUpdateAsync(step, snapshot => snapshot with
        {
            State = new ResourceStateSnapshot(KnownResourceStates.Finished, KnownResourceStateStyles.Success),
            ExitCode = 0,
            StartTimeStamp = now,
            StopTimeStamp = now,
            Properties = snapshot.Properties.With(SkippedProperty, reason),
        });
    }
}
