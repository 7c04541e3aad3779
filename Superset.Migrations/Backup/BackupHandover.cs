namespace Superset.Migrations.Backup;

/// <summary>
/// How the AppHost's backup step tells the migration worker after it which backup it took: a file whose path the
/// AppHost gives both (<c>Worker:BackupHandover</c>), holding the backup's path. The worker names that backup when it
/// reverts another branch's migrations, rather than guessing the newest in the folder.
/// </summary>
public static class BackupHandover
{
    public static void Write(string handover, string backupPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(handover))!);
        File.WriteAllText(handover, backupPath + "\n");
    }

    /// <summary>The backup the step took; null when it took none (nothing to back up) or there is no handover.</summary>
    public static string? Read(string? handover) =>
        handover is not null && File.Exists(handover) && File.ReadAllText(handover).Trim() is { Length: > 0 } path ? path : null;

    /// <summary>Forgets an earlier run's backup, before a step may write this run's.</summary>
    public static void Clear(string? handover)
    {
        if (handover is not null && File.Exists(handover))
        {
            File.Delete(handover);
        }
    }
}
