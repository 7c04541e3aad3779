using Superset.Migrations.Tools;

namespace Superset.Migrations.LocalServer;

/// <summary>What the checkout's container is doing, as its engine says.</summary>
/// <param name="State">The engine's word: running, exited, created…; null when there is no such container.</param>
public sealed record ContainerState(string? State, string? StartedAt, string? Image)
{
    public bool IsRunning => State == "running";
}

/// <summary>
/// The container engine's command line (<c>docker</c>, or what <c>ASPIRE_CONTAINER_RUNTIME</c> names, as Aspire does), for
/// the command line's <c>server</c> in container mode: each call bounded, and said in one line when the engine does not answer.
/// </summary>
public static class ContainerEngine
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static string Name => Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } configured ? configured : "docker";

    public static async Task<ContainerState> InspectAsync(string container, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["inspect", "--format", "{{.State.Status}}|{{.State.StartedAt}}|{{.Config.Image}}", container], cancellationToken);
        if (!result.Succeeded)
        {
            return result.StandardError.Contains("No such", StringComparison.OrdinalIgnoreCase)
                ? new ContainerState(null, null, null)
                : throw Unanswered("inspect", container, result);
        }

        var parts = result.StandardOutput.Trim().Split('|');
        return new ContainerState(parts[0], parts.ElementAtOrDefault(1), parts.ElementAtOrDefault(2));
    }

    /// <summary><c>start</c> or <c>stop</c> of the container.</summary>
    public static async Task RunAsync(string verb, string container, CancellationToken cancellationToken)
    {
        var result = await RunAsync([verb, container], cancellationToken);
        if (!result.Succeeded)
        {
            throw Unanswered(verb, container, result);
        }
    }

    private static async Task<ToolResult> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Bound);
        try
        {
            return await ToolRunner.RunAsync(Name, arguments, cancellationToken: bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LocalServerException($"'{Name} {string.Join(' ', arguments)}' did not answer within {Bound.TotalSeconds:0} s: is the container engine running?");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new LocalServerException($"'{Name}' is not installed here, and this checkout's database is in a container (the AppHost last ran in container mode): install it, or run the AppHost with Postgres:Mode=local.");
        }
    }

    private static LocalServerException Unanswered(string verb, string container, ToolResult result) =>
        new($"'{Name} {verb} {container}' failed: {result.StandardError.Trim().Split('\n').LastOrDefault()}");
}
