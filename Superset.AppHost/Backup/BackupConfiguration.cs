using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Superset.Migrations.Backup;

namespace Superset.AppHost.Backup;

/// <summary>The AppHost's <c>Backup</c> section: whether backups are taken, where they go, and how many are kept.</summary>
internal sealed record BackupConfiguration(bool Enabled, string Directory, int Keep)
{
    private static readonly ConditionalWeakTable<IDistributedApplicationBuilder, BackupConfiguration> Read = [];

    /// <summary>The section, read once per AppHost (the backup step, the worker's commands and the web app all use it).</summary>
    public static BackupConfiguration For(IDistributedApplicationBuilder builder) => Read.GetValue(builder, ReadSection);

    private static BackupConfiguration ReadSection(IDistributedApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Backup");
        var enabled = builder.Configuration.Flag("Backup:Enabled", defaultValue: true);

        // backups/ at the root of the checkout by default: beside the code, and git-ignored.
        var directory = section["Directory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, builder.AppHostDirectory)
            : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "backups"));
        var keep = section["Keep"] switch
        {
            null => BackupSettings.DefaultKeep,
            var value when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1 => parsed,
            var value => throw new DistributedApplicationException($"Backup:Keep '{value}' is not a whole number of at least 1."),
        };
        return new BackupConfiguration(enabled, directory, keep);
    }
}
