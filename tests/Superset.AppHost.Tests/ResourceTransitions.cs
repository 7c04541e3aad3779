namespace Superset.AppHost.Tests;

/// <summary>Every state each resource of a stack went through, in the order they were published, recorded from its start.</summary>
public sealed class ResourceTransitions : IAsyncDisposable
{
    private readonly List<(string Resource, string? State)> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _recording;

    public ResourceTransitions(DistributedApplication app) => _recording = RecordAsync(app);

    public IReadOnlyList<(string Resource, string? State)> All
    {
        get
        {
            lock (_seen)
            {
                return _seen.ToArray();
            }
        }
    }

    /// <summary>Where a resource first reached a state; -1 when it never did.</summary>
    public int First(string resource, string state) => All.ToList().FindIndex(t => t.Resource == resource && t.State == state);

    /// <summary>The transitions of some resources, for a failure message: <c>backup:Running → migrations:Waiting</c>.</summary>
    public string Describe(params string[] resources) =>
        string.Join(" → ", All.Where(t => resources.Contains(t.Resource)).Select(t => $"{t.Resource}:{t.State}"));

    private async Task RecordAsync(DistributedApplication app)
    {
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(_stop.Token))
            {
                lock (_seen)
                {
                    var last = _seen.LastOrDefault(t => t.Resource == update.Resource.Name);
                    if (last.Resource is null || last.State != update.Snapshot.State?.Text)
                    {
                        _seen.Add((update.Resource.Name, update.Snapshot.State?.Text));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _recording;
        _stop.Dispose();
    }
}
