using System.Net.Sockets;

namespace Superset.AppHost.Postgres;

/// <summary>
/// Whether a container engine answers, asked without running a program (the AppHost asks while it builds its model): a
/// daemon listens on the engine's socket. <c>ASPIRE_CONTAINER_RUNTIME</c> names the engine, else docker.
/// </summary>
internal static class ContainerRuntime
{
    public static string Name => Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } configured ? configured : "docker";

    public static bool Answers() => Sockets().Any(Listens);

    /// <summary>Where the engine's API listens: DOCKER_HOST/CONTAINER_HOST when they name a Unix socket, else the usual places.</summary>
    private static IEnumerable<string> Sockets()
    {
        foreach (var variable in new[] { "DOCKER_HOST", "CONTAINER_HOST" })
        {
            if (Environment.GetEnvironmentVariable(variable) is { } host && host.StartsWith("unix://", StringComparison.Ordinal))
            {
                yield return host["unix://".Length..];
            }
        }

        var runtimeDirectory = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (Name == "podman")
        {
            if (runtimeDirectory is not null)
            {
                yield return Path.Combine(runtimeDirectory, "podman", "podman.sock");
            }

            yield return "/run/podman/podman.sock";
        }
        else
        {
            yield return "/var/run/docker.sock";
            yield return Path.Combine(home, ".docker", "run", "docker.sock");
            yield return Path.Combine(home, ".docker", "desktop", "docker.sock");
        }
    }

    /// <summary>A connect to a Unix socket answers at once: refused, missing, or accepted by the daemon.</summary>
    private static bool Listens(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
