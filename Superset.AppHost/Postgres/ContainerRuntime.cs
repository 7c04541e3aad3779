using Superset.Migrations.Tools;

namespace Superset.AppHost.Postgres;

/// <summary>Whether a container engine answers, asked the way Aspire itself will use it.</summary>
internal static class ContainerRuntime
{
    /// <summary>The engine Aspire uses: <c>ASPIRE_CONTAINER_RUNTIME</c>, else docker.</summary>
    public static string Name => Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } configured ? configured : "docker";

    public static bool Answers()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var result = ToolRunner.RunAsync(Name, ["info", "--format", "{{.ServerVersion}}"], cancellationToken: timeout.Token)
                .GetAwaiter().GetResult();
            return result.Succeeded && result.StandardOutput.Trim().Length > 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
