using Superset.Migrations.Backup;

namespace Superset.MigrationWorker.Worker;

/// <summary>
/// How the migration worker backs up before upgrading (<c>Migrations:Backup</c>): with <see cref="Backups"/>
/// (<c>before-upgrade</c>, the default), or not at all (<c>none</c>: the AppHost's backup step or the platform takes them).
/// </summary>
internal sealed record PreUpgradeBackup(PgDumpBackup? Backups);
