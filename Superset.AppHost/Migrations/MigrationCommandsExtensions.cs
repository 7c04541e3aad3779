using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Superset.AppHost.Backup;
using Superset.AppHost.Workers;
using Superset.Migrations.Outcomes;

namespace Superset.AppHost.Migrations;

/// <summary>
/// The seed's everyday operations as commands on the migration worker's resource in the dashboard: run pending
/// migrations, roll back the last one, take a backup, show status. Each runs the worker's own command line (the one
/// behind <c>scripts/manage_migrations.sh</c>) with the worker's environment, so it reaches the same database, takes
/// the same advisory lock and backs up first, and its spans go to the dashboard under the worker. The output shows in
/// the worker's console log and in the command's result.
/// </summary>
internal static class MigrationCommandsExtensions
{
    public static IResourceBuilder<T> WithMigrationCommands<T>(this IResourceBuilder<T> migrations, PreUpgradeBackup backups)
        where T : IResourceWithEnvironment
    {
        // With backups switched off in the AppHost, the commands say so to the command line rather than fail.
        string[] backupArguments = backups.Settings.Enabled ? ["--backup-dir", backups.Directory] : ["--no-backup"];

        return migrations
            .WithWorkerCommand("superset-upgrade", "Run pending migrations", ["upgrade", .. backupArguments], new()
            {
                Description = "Backs up, then applies every pending migration (manage_migrations.sh upgrade).",
                IconName = "ArrowUpload",
                IsHighlighted = true,
            })
            .WithWorkerCommand("superset-downgrade", "Roll back the last migration", ["downgrade", .. backupArguments], new()
            {
                Description = "Backs up, then reverts the last applied migration (manage_migrations.sh downgrade).",
                IconName = "ArrowUndo",
                ConfirmationMessage = "Roll back the last applied migration? Data in the tables and columns it created is lost (a backup is taken first).",
            })
            .WithWorkerCommand("superset-revert-unknown", "Revert migrations from another branch", ["downgrade", "--unknown", .. backupArguments], new()
            {
                Description = "Backs up, then reverts the applied migrations this build does not know, from the Down() SQL stored when they ran (manage_migrations.sh downgrade --unknown).",
                IconName = "BranchFork",
                ConfirmationMessage = "Revert the migrations applied from another branch? The tables and columns they created are dropped (a backup is taken first).",
            })
            .WithWorkerCommand("superset-backup", "Take a backup", ["backup", "--backup-dir", backups.Directory], new()
            {
                Description = "A verified pg_dump of the database into the backups folder (manage_migrations.sh backup).",
                IconName = "DatabaseArrowDown",
            })
            .WithWorkerCommand("superset-status", "Show migration status", ["status"], new()
            {
                Description = "Current version, pending and unknown migrations (manage_migrations.sh status).",
                IconName = "Info",
            },
            // "Behind" (3) is an answer, not a failure.
            ExitCodes.Success, ExitCodes.Behind);
    }

    private static IResourceBuilder<T> WithWorkerCommand<T>(
        this IResourceBuilder<T> migrations, string name, string displayName, string[] arguments, CommandOptions options,
        params int[] successExitCodes)
        where T : IResourceWithEnvironment
    {
        var worker = migrations.Resource;
        options.UpdateState ??= IdleWorkerOnly;
        int[] success = successExitCodes.Length == 0 ? [ExitCodes.Success] : successExitCodes;
        return migrations.WithCommand(name, displayName, async context =>
        {
            var executionContext = context.Services.GetRequiredService<DistributedApplicationExecutionContext>();
            var configuration = await ExecutionConfigurationBuilder.Create(worker)
                .WithEnvironmentVariablesConfig()
                .BuildAsync(executionContext, context.Logger, context.CancellationToken);
            var environment = configuration.EnvironmentVariables.ToDictionary(variable => variable.Key, string? (variable) => variable.Value);
            NameTelemetryAfter(worker, context.ResourceName, environment);
            context.Logger.LogInformation("Dashboard command: manage_migrations.sh {Arguments}", string.Join(' ', arguments));
            var result = await WorkerProgram.RunCommandLineAsync(arguments, environment, context.CancellationToken);

            // The output goes to the worker's console log too, where the start-up run's output already is.
            var output = (result.StandardOutput + result.StandardError).TrimEnd();
            foreach (var line in output.Split('\n'))
            {
                context.Logger.LogInformation("{Line}", line);
            }

            return success.Contains(result.ExitCode)
                ? CommandResults.Success($"{displayName}: done", output, CommandResultFormat.Text)
                : CommandResults.Failure($"{displayName} failed (exit {result.ExitCode}): {result.LastError}", output, CommandResultFormat.Text);
        }, options);
    }

    /// <summary>
    /// DCP fills in the service name and instance of a process it starts (the values are templates until then); the
    /// command's process is started here, so it gets them filled in as the worker's: the dashboard then shows the
    /// command's spans, metrics and logs with the worker's own.
    /// </summary>
    private static void NameTelemetryAfter(IResource worker, string instanceName, Dictionary<string, string?> environment)
    {
        var instanceId = instanceName.StartsWith(worker.Name + "-", StringComparison.Ordinal) ? instanceName[(worker.Name.Length + 1)..] : instanceName;
        if (environment.TryGetValue("OTEL_SERVICE_NAME", out var service) && service?.Contains("{{", StringComparison.Ordinal) == true)
        {
            environment["OTEL_SERVICE_NAME"] = worker.Name;
        }

        if (environment.TryGetValue("OTEL_RESOURCE_ATTRIBUTES", out var attributes) && attributes?.Contains("{{", StringComparison.Ordinal) == true)
        {
            environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instanceId}";
        }
    }

    /// <summary>
    /// Not while the worker itself runs at start-up: the advisory lock would make a command wait for it anyway, and a
    /// greyed-out button says so at once.
    /// </summary>
    private static ResourceCommandState IdleWorkerOnly(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state)
            ? ResourceCommandState.Enabled
            : ResourceCommandState.Disabled;
}
