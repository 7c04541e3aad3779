using System.Diagnostics;
using System.Globalization;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// One process at a time lays out, initialises, starts or stops a checkout's server: two commands in two terminals on
/// a fresh clone would otherwise both run initdb, or both start a server on the same data directory. An exclusive
/// lock on a file in the state directory (flock, so a process that dies lets go of it), waited for with a bound.
/// </summary>
public sealed class StateDirectoryLock : IDisposable
{
    private const string LockFile = "server.lock";
    private const string OwnerFile = "server.lock.owner";

    /// <summary>Long enough for another process's initdb and first start on a slow machine.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(90);

    private readonly FileStream _stream;
    private readonly string _ownerPath;

    private StateDirectoryLock(FileStream stream, string ownerPath)
    {
        _stream = stream;
        _ownerPath = ownerPath;
    }

    /// <summary>Takes the lock for <paramref name="purpose"/>, waiting up to <paramref name="wait"/> for its holder.</summary>
    public static async Task<StateDirectoryLock> AcquireAsync(
        string stateDirectory, string purpose, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, LockFile);
        var ownerPath = Path.Combine(stateDirectory, OwnerFile);
        var limit = wait ?? DefaultWait;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                await File.WriteAllTextAsync(ownerPath,
                    string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} ({purpose}) since {DateTime.Now:HH:mm:ss}"), CancellationToken.None);
                return new StateDirectoryLock(stream, ownerPath);
            }
            catch (IOException) when (waited.Elapsed < limit)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (IOException ex)
            {
                var owner = File.Exists(ownerPath) ? File.ReadAllText(ownerPath).Trim() : "another process";
                throw new LocalServerException(
                    $"Timed out after {limit.TotalSeconds:0} s waiting for {owner}, which is setting up the local PostgreSQL server in {stateDirectory}. " +
                    "If that process is gone, try again.", ex);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_ownerPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only informative; the next holder overwrites it.
        }

        _stream.Dispose();
    }
}
