using System.Globalization;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// Who started a checkout's server, and when: the AppHost and the command line share one server, whoever started it,
/// and <c>server status</c> says which. Kept in the state directory beside <c>cluster.conf</c>.
/// </summary>
public sealed record ServerStartRecord(string StartedBy, int StarterPid, DateTimeOffset StartedAt, int ServerPid)
{
    private const string FileName = "server.started-by";

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{StartedBy} (pid {StarterPid}) at {StartedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}");

    public void Save(string stateDirectory) =>
        File.WriteAllText(Path.Combine(stateDirectory, FileName), string.Create(CultureInfo.InvariantCulture,
            $"started_by={StartedBy}\nstarter_pid={StarterPid}\nstarted_at={StartedAt:O}\nserver_pid={ServerPid}\n"));

    /// <summary>The record of the server with pid <paramref name="serverPid"/>; null when it was started some other way.</summary>
    public static ServerStartRecord? Read(string stateDirectory, int serverPid)
    {
        var path = Path.Combine(stateDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var values = File.ReadAllLines(path)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1]);
        return values.TryGetValue("server_pid", out var pid) && pid == serverPid.ToString(CultureInfo.InvariantCulture)
               && values.TryGetValue("started_by", out var by)
               && int.TryParse(values.GetValueOrDefault("starter_pid"), NumberStyles.None, CultureInfo.InvariantCulture, out var starter)
               && DateTimeOffset.TryParse(values.GetValueOrDefault("started_at"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? new ServerStartRecord(by, starter, at, serverPid)
            : null;
    }
}
