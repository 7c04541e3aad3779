using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// The program listening on a local TCP port, found through <c>/proc</c> (Linux): what a message names when a port
/// this checkout wants is taken, so that the developer knows what to stop instead of waiting on a server that is
/// not theirs.
/// </summary>
public sealed record PortHolder(int Pid, string CommandLine, string? WorkingDirectory)
{
    public override string ToString() =>
        $"pid {Pid} ({CommandLine}{(WorkingDirectory is null ? "" : $", in {WorkingDirectory}")})";

    /// <summary>Whether nothing listens on 127.0.0.1:<paramref name="port"/> (or on every address).</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Server.ExclusiveAddressUse = true;
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>What to say about a taken port: the program holding it when it can be found, else that something does.</summary>
    public static string Describe(int port) =>
        Find(port) is { } holder ? $"port {port} is in use by {holder}" : $"port {port} is in use by another program";

    /// <summary>The process listening on <paramref name="port"/>, or null when none is found (or this is not Linux).</summary>
    public static PortHolder? Find(int port)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var inodes = ListeningSocketInodes(port);
        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                        && long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
                        && inodes.Contains(inode))
                    {
                        return new PortHolder(pid, CommandLineOf(pid), WorkingDirectoryOf(pid));
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or it is not ours to read.
            }
        }

        return null;
    }

    /// <summary>A process's command line, shortened to one readable line.</summary>
    public static string CommandLineOf(int pid)
    {
        try
        {
            var words = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            var line = string.Join(' ', words);
            return line.Length <= 120 ? line : line[..117] + "...";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unknown program";
        }
    }

    private static string? WorkingDirectoryOf(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Inodes of sockets in LISTEN state (0A) on the port, IPv4 and IPv6.</summary>
    private static HashSet<long> ListeningSocketInodes(int port)
    {
        var inodes = new HashSet<long>();
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == "0A" && fields[1].EndsWith(":" + hexPort, StringComparison.Ordinal)
                    && long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out var inode) && inode != 0)
                {
                    inodes.Add(inode);
                }
            }
        }

        return inodes;
    }
}
