using System.Globalization;
using System.Text.RegularExpressions;

namespace Superset.Migrations.Backup;

/// <summary>
/// A backup on disk, named with its time and the schema version it holds:
/// <c>superset-20261125-093000-v20261124120000.dump</c> (<c>-vnone</c> for a database without migrations).
/// </summary>
public sealed partial record BackupFile(string Path, string Database, DateTime TakenAt, long? Version, long Size)
{
    public const string Extension = ".dump";

    public string Name => System.IO.Path.GetFileName(Path);

    public static string FileName(string database, DateTime takenAt, long? version) =>
        $"{database}-{takenAt:yyyyMMdd-HHmmss}-v{version?.ToString(CultureInfo.InvariantCulture) ?? "none"}{Extension}";

    /// <summary>Reads a backup's name back; null for a file that is not one of ours.</summary>
    public static BackupFile? TryRead(string path)
    {
        var match = NamePattern().Match(System.IO.Path.GetFileName(path));
        if (!match.Success || !File.Exists(path))
        {
            return null;
        }

        var takenAt = DateTime.ParseExact(match.Groups["time"].Value, "yyyyMMdd-HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        long? version = match.Groups["version"].Value == "none" ? null : long.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
        return new BackupFile(path, match.Groups["database"].Value, takenAt, version, new FileInfo(path).Length);
    }

    /// <summary>The backups in a folder, newest first.</summary>
    public static IReadOnlyList<BackupFile> List(string directory) =>
        !Directory.Exists(directory)
            ? []
            : Directory.GetFiles(directory, "*" + Extension).Select(TryRead).OfType<BackupFile>()
                .OrderByDescending(b => b.TakenAt).ThenByDescending(b => b.Name, StringComparer.Ordinal).ToArray();

    [GeneratedRegex(@"^(?<database>.+)-(?<time>\d{8}-\d{6})-v(?<version>\d+|none)\.dump$")]
    private static partial Regex NamePattern();
}
