using System.Globalization;
using Superset.Migrations.LocalServer;

namespace Superset.Tests.Shared;

/// <summary>
/// What earlier test runs left whose test process is gone. A test host may be killed before its exit handlers run,
/// and a stack whose start failed, or a test that keeps a server running on purpose (the persistent lifetime), must
/// not leave a PostgreSQL behind for long: every folder a test makes is in its run's folder, named after the test
/// process (<see cref="TestPaths.RunDirectory"/>), and the next run stops the servers in those of dead processes and
/// removes them. Folders of the layout before run folders (<c>superset-tests-&lt;purpose&gt;-…</c>) go the same way.
/// </summary>
public static class AbandonedServers
{
    private const string OwnerFile = "owner.pid";

    public static async Task ReapAsync()
    {
        if (PostgresBinaries.Find() is not { } binaries)
        {
            return;
        }

        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), "superset-tests-*"))
        {
            if (Owner(directory) is { } owner && Superset.Migrations.Tools.Processes.IsAlive(owner))
            {
                continue;
            }

            try
            {
                var isRun = Path.GetFileName(directory).StartsWith(TestPaths.RunDirectoryPrefix, StringComparison.Ordinal);
                foreach (var stateDirectory in isRun ? Directory.GetDirectories(directory) : [directory])
                {
                    await StopServerOfAsync(stateDirectory, binaries);
                }

                Directory.Delete(directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or LocalServerException)
            {
                // Another run may be cleaning the same folder; whatever is left is tried again next time.
            }
        }
    }

    /// <summary>The test process a folder belongs to: the pid in a run folder's name, or an old-layout folder's owner file.</summary>
    private static int? Owner(string directory)
    {
        var name = Path.GetFileName(directory);
        if (name.StartsWith(TestPaths.RunDirectoryPrefix, StringComparison.Ordinal))
        {
            return int.TryParse(name[TestPaths.RunDirectoryPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }

        var ownerFile = Path.Combine(directory, OwnerFile);
        return File.Exists(ownerFile) && int.TryParse(File.ReadAllText(ownerFile), out var owner) ? owner : null;
    }

    private static async Task StopServerOfAsync(string stateDirectory, PostgresBinaries binaries)
    {
        if (LocalPostgresCluster.TryOpenExisting(stateDirectory, binaries) is { } cluster)
        {
            await cluster.StopAsync(immediate: true);
            if (cluster.IsRelocated)
            {
                Directory.Delete(Path.GetDirectoryName(cluster.DataDirectory)!, recursive: true);
            }
        }
    }
}
