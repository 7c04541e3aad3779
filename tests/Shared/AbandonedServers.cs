using System.Globalization;
using Superset.Migrations.LocalServer;

namespace Superset.Tests.Shared;

/// <summary>
/// Servers of earlier test runs whose test process is gone. A test host may be killed before its exit handlers run,
/// and a stack whose start failed, or a test that keeps a server running on purpose (the persistent lifetime), must
/// not leave a PostgreSQL behind for long: each state directory a test uses names its owner, and the next run stops
/// and removes those whose owner died.
/// </summary>
public static class AbandonedServers
{
    private const string OwnerFile = "owner.pid";

    /// <summary>Marks <paramref name="stateDirectory"/> as this test process's.</summary>
    public static void ClaimStateDirectory(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        File.WriteAllText(Path.Combine(stateDirectory, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    public static async Task ReapAsync()
    {
        if (PostgresBinaries.Find() is not { } binaries)
        {
            return;
        }

        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), "superset-tests-*"))
        {
            var ownerFile = Path.Combine(directory, OwnerFile);
            if (!File.Exists(ownerFile) || int.TryParse(await File.ReadAllTextAsync(ownerFile), out var owner) && IsAlive(owner))
            {
                continue;
            }

            try
            {
                var cluster = LocalPostgresCluster.TryOpenExisting(directory, binaries);
                if (cluster is not null)
                {
                    await cluster.StopAsync(immediate: true);
                    if (cluster.IsRelocated)
                    {
                        Directory.Delete(Path.GetDirectoryName(cluster.DataDirectory)!, recursive: true);
                    }
                }

                Directory.Delete(directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Another run may be cleaning the same folder; whatever is left is tried again next time.
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
