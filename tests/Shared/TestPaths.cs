using System.Net;
using System.Net.Sockets;

namespace Superset.Tests.Shared;

/// <summary>Scratch folders and ports for one test run.</summary>
public static class TestPaths
{
    /// <summary>The checkout's root (the folder with Superset.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The prefix of a test run's folder under /tmp: <c>superset-tests-run-&lt;pid&gt;</c>.</summary>
    public const string RunDirectoryPrefix = "superset-tests-run-";

    /// <summary>
    /// The folder of this test run, under /tmp (which every account can enter: the server runs as 'postgres' when tests
    /// run as root). Named after the test process, so that the next run can tell it is a leftover and remove it
    /// (<see cref="AbandonedServers"/>), servers and all: the runs no longer leave a gigabyte of folders behind.
    /// </summary>
    public static string RunDirectory { get; } = Path.Combine(Path.GetTempPath(), RunDirectoryPrefix + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A new folder in this run's folder.</summary>
    public static string NewTempDirectory(string purpose)
    {
        var path = Path.Combine(RunDirectory, $"{purpose}-{Guid.NewGuid():N}"[..(purpose.Length + 13)]);
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
