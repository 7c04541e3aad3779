using System.Net;
using System.Net.Sockets;

namespace Superset.Tests.Shared;

/// <summary>Scratch folders and ports for one test run.</summary>
public static class TestPaths
{
    /// <summary>The checkout's root (the folder with Superset.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// A new folder under /tmp (which every account can enter: the server runs as 'postgres' when tests run as root).
    /// </summary>
    public static string NewTempDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), $"superset-tests-{purpose}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A TCP port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Superset.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Tests run inside the checkout: no Superset.sln above " + AppContext.BaseDirectory);
    }
}
