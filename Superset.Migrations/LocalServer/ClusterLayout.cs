using System.Security.Cryptography;
using System.Text;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// Where a checkout's cluster lives and what it is given, in its state directory (git-ignored, <c>.data/postgres</c>):
/// <c>password</c> (mode 600, the generated superuser password), <c>cluster.conf</c> (port and data directory) and
/// <c>cluster/pgdata</c>. When we are root and the <c>postgres</c> account cannot reach the state directory (a checkout
/// under <c>/root</c>, mode 700), the data lives in <c>/var/tmp/superset-postgres-&lt;hash&gt;</c> and <c>cluster.conf</c>
/// says where.
/// </summary>
internal static class ClusterLayout
{
    /// <summary>The first port of the range checkouts' servers get their ports from (54320 to 54999).</summary>
    public const int FirstPort = 54320;
    public const int PortRange = 680;

    private const string PasswordFile = "password";
    private const string StateFile = "cluster.conf";

    public static string PasswordPath(string stateDirectory) => Path.Combine(stateDirectory, PasswordFile);

    /// <summary><c>cluster.conf</c>: the port and data directory of the checkout's cluster.</summary>
    public static string StatePath(string stateDirectory) => Path.Combine(stateDirectory, StateFile);

    /// <summary>
    /// A port of this state directory's own, so that two checkouts run their servers side by side: derived from the
    /// directory's path, and the next one up when another program holds it when it is first chosen.
    /// </summary>
    public static int PortFor(string stateDirectory)
    {
        var offset = PathOffset.Of(stateDirectory, PortRange);
        for (var i = 0; i < PortRange; i++)
        {
            var port = FirstPort + (offset + i) % PortRange;
            if (PortHolder.IsFree(port))
            {
                return port;
            }
        }

        return FirstPort + offset;
    }

    public static void SaveState(string stateDirectory, int port, string dataDirectory) =>
        File.WriteAllText(StatePath(stateDirectory),
            $"# Written by Superset's AppHost and command line: where the local PostgreSQL cluster lives.\nport={port}\ndata_directory={dataDirectory}\n");

    public static (int? Port, string? DataDirectory) ReadState(string stateDirectory)
    {
        var path = StatePath(stateDirectory);
        if (!File.Exists(path))
        {
            return (null, null);
        }

        var values = File.ReadAllLines(path)
            .Where(l => !l.StartsWith('#') && l.Contains('='))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        return (
            values.TryGetValue("port", out var port) && int.TryParse(port, out var p) ? p : null,
            values.GetValueOrDefault("data_directory"));
    }

    /// <summary>The data directory's parent, created and given to the server's account; in /var/tmp when that account cannot reach the state directory.</summary>
    public static async Task<string> LayOutDataDirectoryAsync(string stateDirectory, ServerAccount account, CancellationToken cancellationToken)
    {
        var clusterRoot = Path.Combine(stateDirectory, "cluster");
        Directory.CreateDirectory(clusterRoot);
        await account.TakeOwnershipAsync(clusterRoot, cancellationToken);
        if (await account.CanReachAsync(clusterRoot, cancellationToken))
        {
            return Path.Combine(clusterRoot, "pgdata");
        }

        // The postgres account cannot enter the checkout (for example under /root, mode 700).
        Directory.Delete(clusterRoot);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stateDirectory)))[..12];
        var relocated = Path.Combine("/var/tmp", $"superset-postgres-{hash}");
        Directory.CreateDirectory(relocated);
        await account.TakeOwnershipAsync(relocated, cancellationToken);
        return Path.Combine(relocated, "pgdata");
    }

    /// <summary>The superuser password, generated (32 random characters) the first time; whoever writes it first wins.</summary>
    public static string ReadOrCreatePassword(string stateDirectory)
    {
        var path = PasswordPath(stateDirectory);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var password = RandomNumberGenerator.GetString(alphabet, 32);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.Write(password);
            return password;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process (the AppHost or the command line) created it first: use theirs.
            return File.ReadAllText(path).Trim();
        }
    }
}
