using System.Diagnostics;
using System.Globalization;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// A data directory's <c>postmaster.pid</c>: which process runs the server and on which port. A file whose process
/// is gone, or whose pid now belongs to another program (the machine restarted, a container was recreated), is stale:
/// PostgreSQL refuses to start while the second kind is there, so it is recognised and removed instead.
/// </summary>
public sealed record PostmasterPidFile(int Pid, int? Port, string Status, string Path)
{
    public const string FileName = "postmaster.pid";

    /// <summary>Whether the pid is a live PostgreSQL process (not a program that was given the same pid later).</summary>
    public bool IsLive => IsPostgresProcess(Pid);

    /// <summary>The file in <paramref name="dataDirectory"/>, or null when there is none (no server, or a clean stop).</summary>
    public static PostmasterPidFile? Read(string dataDirectory)
    {
        var path = System.IO.Path.Combine(dataDirectory, FileName);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (lines.Length == 0 || !int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        int? port = lines.Length > 3 && int.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
        var status = lines.Length > 7 ? lines[7].Trim() : "unknown";
        return new PostmasterPidFile(pid, port, status, path);
    }

    public static bool IsPostgresProcess(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // The postmaster's own name, whatever wrapper (setpriv, sh) started it: those exec in place.
                return File.ReadAllText($"/proc/{pid}/comm").Trim() is "postgres" or "postmaster";
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && process.ProcessName is "postgres" or "postmaster";
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
