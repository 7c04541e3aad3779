using Superset.Migrations.Backup;

namespace Superset.Migrations.Settings;

/// <summary>The <c>Backup</c> section: whether backups are taken (the AppHost), where they go, how many are kept, which pg_dump.</summary>
public sealed class BackupSettings : IValidatedSettings
{
    public const string Section = "Backup";

    /// <summary>Set by <c>manage_migrations.sh</c> users of old: where the command line's backups go.</summary>
    public const string DirectoryVariable = "SUPERSET_BACKUP_DIR";

    /// <summary>How many backups of a database are kept unless told otherwise: the AppHost, the worker and the command line.</summary>
    public const int DefaultKeep = 10;

    public static class Keys
    {
        public const string Enabled = "Backup:Enabled";
        public const string Directory = "Backup:Directory";
        public const string Keep = "Backup:Keep";
        public const string BinDirectory = "Backup:BinDirectory";
    }

    /// <summary>The AppHost: <c>false</c> switches the backup step off (you said so).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The backups folder; <c>backups/</c> at the root of the checkout (else the current folder) when not set.</summary>
    public string? Directory { get; set; }

    public int Keep { get; set; } = DefaultKeep;

    public string? BinDirectory { get; set; }

    public IEnumerable<string> Errors()
    {
        if (Keep < 1)
        {
            yield return $"{Keys.Keep} must be at least 1, not {Keep}.";
        }
    }

    /// <summary>Where backups go and how many are kept, with relative paths resolved against <paramref name="baseDirectory"/>.</summary>
    public BackupLocation Location(string baseDirectory) =>
        new(Directory is { Length: > 0 } configured ? Path.GetFullPath(configured, baseDirectory) : BackupLocation.DefaultDirectory(baseDirectory), Keep, BinDirectory);
}
