using Superset.Migrations.Tools;

namespace Superset.Migrations.LocalServer;

/// <summary>The PostgreSQL server programs of this machine (initdb, postgres, pg_ctl, pg_dump, pg_restore, psql).</summary>
public sealed class PostgresBinaries
{
    public const string InstallHint =
        "Install PostgreSQL's server binaries (Debian/Ubuntu: 'apt-get install postgresql'; macOS: 'brew install postgresql@15') " +
        "or a container engine (Docker or Podman), or give a connection string with Postgres:Mode=external.";

    private PostgresBinaries(string binDirectory) => BinDirectory = binDirectory;

    public string BinDirectory { get; }

    public string Initdb => Tool("initdb");

    public string Postgres => Tool("postgres");

    public string PgCtl => Tool("pg_ctl");

    public string PgDump => Tool("pg_dump");

    public string PgRestore => Tool("pg_restore");

    public string Psql => Tool("psql");

    /// <summary>
    /// Finds the binaries: the configured folder, else the folder <c>pg_config</c> on the PATH links to (Homebrew), else
    /// the newest <c>/usr/lib/postgresql/N/bin</c> (Debian keeps initdb there, off the PATH), else the PATH. Only looks at
    /// files: no program is run, since the AppHost asks while it builds its model.
    /// </summary>
    /// <param name="configuredBinDirectory">A folder given by configuration; nothing else is searched then.</param>
    /// <param name="requireServer">Whether the server programs must be there too, or the client tools (pg_dump) suffice.</param>
    public static PostgresBinaries? Find(string? configuredBinDirectory = null, bool requireServer = true)
    {
        var tools = requireServer ? ServerTools : ClientTools;
        if (!string.IsNullOrWhiteSpace(configuredBinDirectory))
        {
            return Has(configuredBinDirectory, tools) ? new PostgresBinaries(configuredBinDirectory) : null;
        }

        foreach (var candidate in Candidates())
        {
            if (Has(candidate, tools))
            {
                return new PostgresBinaries(candidate);
            }
        }

        return null;
    }

    /// <summary>The binaries, or a <see cref="LocalServerException"/> saying what to install.</summary>
    public static PostgresBinaries Require(string? configuredBinDirectory = null) =>
        Find(configuredBinDirectory)
        ?? throw new LocalServerException(
            $"No PostgreSQL binaries were found{(string.IsNullOrWhiteSpace(configuredBinDirectory) ? "" : $" in {configuredBinDirectory} (Postgres:BinDirectory)")}. {InstallHint}");

    /// <summary>The major version of these binaries (15 for "postgres (PostgreSQL) 15.18").</summary>
    public async Task<int> GetMajorVersionAsync(CancellationToken cancellationToken = default)
    {
        var result = await ToolRunner.RunAsync(Postgres, ["--version"], cancellationToken: cancellationToken);
        var version = result.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(w => char.IsDigit(w[0])) ?? "0";
        return int.Parse(version.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private string Tool(string name) => Path.Combine(BinDirectory, name);

    private static readonly string[] ClientTools = ["pg_dump", "pg_restore"];
    private static readonly string[] ServerTools = ["postgres", "initdb", "pg_ctl", .. ClientTools];

    private static bool Has(string directory, string[] tools) => tools.All(tool => File.Exists(Path.Combine(directory, tool)));

    private static IEnumerable<string> Candidates()
    {
        if (FindOnPath("pg_config") is { } pgConfig && new FileInfo(pgConfig).ResolveLinkTarget(returnFinalTarget: true) is { } target)
        {
            yield return Path.GetDirectoryName(target.FullName)!;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            foreach (var versionDirectory in Directory.GetDirectories(debianRoot)
                         .Select(d => (Path: d, Major: int.TryParse(Path.GetFileName(d), out var major) ? major : -1))
                         .Where(d => d.Major > 0)
                         .OrderByDescending(d => d.Major))
            {
                yield return Path.Combine(versionDirectory.Path, "bin");
            }
        }

        foreach (var brew in new[] { "/opt/homebrew/bin", "/usr/local/bin", "/usr/lib/postgresql/bin" })
        {
            yield return brew;
        }

        foreach (var tool in new[] { "postgres", "pg_dump" })
        {
            if (FindOnPath(tool) is { } found)
            {
                yield return Path.GetDirectoryName(found)!;
            }
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
