using System.Globalization;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli;

/// <summary>The seed's phrases, in one place.</summary>
internal static class Format
{
    public static string CurrentVersion(AppliedMigration? current) =>
        current is null
            ? "✅ Current version: none (no migrations applied)"
            : $"✅ Current version: {current.Version} ({current.Description})";

    public const string NoPending = "✅ No pending migrations";

    public static string Row(long version, string description) => $"   {version}  {description}";

    public static string Milliseconds(TimeSpan duration) =>
        duration.TotalMilliseconds.ToString(duration.TotalMilliseconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
        < 1024L * 1024 * 1024 => (bytes / 1024.0 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / 1024.0 / 1024 / 1024).ToString("0.00", CultureInfo.InvariantCulture) + " GB",
    };

    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
