using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Superset.AppHost.Workers;
using Superset.Migrations.Outcomes;

namespace Superset.AppHost.Migrations;

/// <summary>
/// A dashboard command on the migration worker's resource that runs the worker's own command line (the one behind
/// <c>scripts/manage_migrations.sh</c>) with the worker's environment: it reaches the same database, takes the same
/// advisory lock and backs up first, and its spans go to the dashboard under the worker. Its arguments (inputs the
/// dashboard asks for) become the command line's. The output shows in the worker's console log and in the result.
/// </summary>
internal static class WorkerCommands
{
    public static IResourceBuilder<T> WithWorkerCommand<T>(
        this IResourceBuilder<T> migrations, string name, string displayName, Func<InteractionInputCollection, string[]> arguments, CommandOptions options,
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
            var commandLine = arguments(context.Arguments);
            context.Logger.LogInformation("Dashboard command: manage_migrations.sh {Arguments}", string.Join(' ', commandLine));
            var result = await WorkerProgram.RunCommandLineAsync(commandLine, environment, context.CancellationToken);

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

    /// <summary>An argument's value, or null when it was left empty (or not given: an API client may leave it out).</summary>
    public static string? Given(this InteractionInputCollection arguments, string name) =>
        arguments.TryGetByName(name, out var input) && !string.IsNullOrWhiteSpace(input.Value) ? input.Value.Trim() : null;

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
