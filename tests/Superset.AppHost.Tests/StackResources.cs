using Microsoft.Extensions.DependencyInjection;

namespace Superset.AppHost.Tests;

/// <summary>What a test asks of a started AppHost's resources: states, snapshots, properties, console logs; every wait bounded.</summary>
public static class StackResources
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>The states a run-once resource ends in.</summary>
    public static readonly string[] Done = [KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart];

    public static async Task<ResourceEvent> WaitForStateAsync(this DistributedApplication app, string resource, params string[] states)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return await app.ResourceNotifications.WaitForResourceAsync(resource, e => states.Contains(e.Snapshot.State?.Text), timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"{resource} did not reach {string.Join(" or ", states)} within {Timeout.TotalMinutes} min; it is {app.Snapshot(resource).State?.Text}.");
        }
    }

    public static async Task WaitForHealthyAsync(this DistributedApplication app, string resource)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"{resource} was not healthy within {Timeout.TotalMinutes} min; it is {app.Snapshot(resource).State?.Text}.");
        }
    }

    /// <summary>The resource's current snapshot.</summary>
    public static CustomResourceSnapshot Snapshot(this DistributedApplication app, string resource) =>
        app.ResourceNotifications.TryGetCurrentState(resource, out var state) ? state.Snapshot : throw new InvalidOperationException($"No resource {resource}.");

    /// <summary>A property of the resource's current snapshot, as text; null when it has none.</summary>
    public static string? Property(this DistributedApplication app, string resource, string name) =>
        app.Snapshot(resource).Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString();

    /// <summary>What the resource wrote to its console log so far (what the dashboard shows for it).</summary>
    public static async Task<string> ResourceLogAsync(this DistributedApplication app, string resource)
    {
        var lines = new List<string>();
        // By the resource, not its name: a DCP resource logs under its instance's name ("migrations-abcd1234").
        var model = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource);
        await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(model))
        {
            lines.AddRange(batch.Select(line => line.Content));
        }

        return string.Join('\n', lines);
    }
}
