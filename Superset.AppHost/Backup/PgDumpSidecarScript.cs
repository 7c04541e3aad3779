namespace Superset.AppHost.Backup;

/// <summary>
/// What the container sidecar runs: the steps of the library's backup (PgDumpBackup) in POSIX sh, since the server's
/// image has pg_dump but not .NET: dump beside the final name, check it with pg_restore --list, name it with time and
/// schema version, keep the newest BACKUP_KEEP.
/// </summary>
internal static class PgDumpSidecarScript
{
    public const string Script = """
        set -eu
        version=$(psql "$DATABASE_URI" -XAtc "SELECT max(version) FROM migrations.history" 2>/dev/null || true)
        name="superset-$(date -u +%Y%m%d-%H%M%S)-v${version:-none}.dump"
        pg_dump --format=custom --lock-wait-timeout=20000 --file="/backups/$name.partial" "$DATABASE_URI"
        pg_restore --list "/backups/$name.partial" > /dev/null
        mv "/backups/$name.partial" "/backups/$name"
        ls -1t /backups/superset-*.dump | tail -n +$((BACKUP_KEEP + 1)) | xargs -r rm --
        echo "Backup taken and verified: /backups/$name"
        """;
}
