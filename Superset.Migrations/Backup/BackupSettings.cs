namespace Superset.Migrations.Backup;

/// <summary>Where backups go, how many are kept, and which pg_dump takes them.</summary>
/// <param name="Directory">The backups folder (created when missing).</param>
/// <param name="Keep">How many backups of the database to keep; older ones are deleted after a new one is verified.</param>
/// <param name="BinDirectory">Where pg_dump and pg_restore are; found like the server's binaries when null.</param>
public sealed record BackupSettings(string Directory, int Keep = BackupSettings.DefaultKeep, string? BinDirectory = null)
{
    /// <summary>How many backups of a database are kept unless told otherwise: the AppHost, the worker and the command line.</summary>
    public const int DefaultKeep = 10;

    public const string DirectoryVariable = "SUPERSET_BACKUP_DIR";

    /// <summary>The default folder: <c>backups/</c> at the root of the checkout (git-ignored), else in the current folder.</summary>
    public static string DefaultDirectory(string currentDirectory) =>
        Path.Combine(LocalServer.LocalDevelopmentDatabase.FindRepositoryRoot(currentDirectory) ?? currentDirectory, "backups");
}
