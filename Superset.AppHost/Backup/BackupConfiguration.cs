using Microsoft.Extensions.Configuration;

namespace Superset.AppHost.Backup;

/// <summary>The AppHost's <c>Backup</c> section: whether backups are taken, where they go, and how many are kept.</summary>
internal sealed record BackupConfiguration(bool Enabled, string Directory, int Keep)
{
    public static BackupConfiguration Read(IDistributedApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Backup");
        var enabled = section["Enabled"] is not { } value || bool.Parse(value);

        // backups/ at the root of the checkout by default: beside the code, and git-ignored.
        var directory = section["Directory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, builder.AppHostDirectory)
            : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "backups"));
        var keep = section["Keep"] is { } keepValue ? int.Parse(keepValue, System.Globalization.CultureInfo.InvariantCulture) : 10;
        return new BackupConfiguration(enabled, directory, keep);
    }
}
