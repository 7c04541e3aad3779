namespace Superset.Migrations.Backup;

/// <summary>Where backups go, how many are kept, and which pg_dump takes them: the <c>Backup</c> settings, resolved.</summary>
/// <param name="Directory">The backups folder (created when missing).</param>
/// <param name="Keep">How many backups of the database to keep; older ones are deleted after a new one is verified.</param>
/// <param name="BinDirectory">Where pg_dump and pg_restore are; found like the server's binaries when null.</param>
public sealed record BackupLocation(string Directory, int Keep = Settings.BackupSettings.DefaultKeep, string? BinDirectory = null)
{
    /// <summary>The default folder: <c>backups/</c> at the root of the checkout (git-ignored), else in the given folder.</summary>
    public static string DefaultDirectory(string currentDirectory) =>
        Path.Combine(LocalServer.Checkout.FindRoot(currentDirectory) ?? currentDirectory, "backups");
}
