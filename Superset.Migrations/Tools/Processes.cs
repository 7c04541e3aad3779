using System.Diagnostics;

namespace Superset.Migrations.Tools;

/// <summary>What can be asked of another process by its pid.</summary>
public static class Processes
{
    /// <summary>Whether a process with this pid runs (whatever it is now).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
