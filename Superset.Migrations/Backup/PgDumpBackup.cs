using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Telemetry;
using Superset.Migrations.Tools;

namespace Superset.Migrations.Backup;

/// <summary>A backup or restore that did not happen; nothing was changed, and the message says why.</summary>
public sealed class BackupException(string message, Exception? innerException = null)
    : MigrationException(MigrationErrorKind.Failed, message, innerException);

/// <summary>What a restore did: where the data went, the schema version it holds, and what was kept aside.</summary>
public sealed record RestoreResult(string Database, long? Version, string? Description, string? PreviousDatabaseKeptAs);

/// <summary>
/// Backups with pg_dump: custom format, written beside the final name and checked with <c>pg_restore --list</c>
/// before they count, then the oldest beyond <see cref="BackupLocation.Keep"/> are removed. Restores never destroy
/// anything: the backup goes into a new database first, and only then takes the old one's name.
/// </summary>
public sealed class PgDumpBackup(BackupLocation settings)
{
    /// <summary>
    /// How long pg_dump waits for a table's lock: a table locked by another session's long transaction would otherwise
    /// keep the backup, and the migration behind it, waiting forever.
    /// </summary>
    public static readonly TimeSpan LockWaitTimeout = TimeSpan.FromSeconds(20);

    public BackupLocation Settings { get; } = settings;

    /// <summary>Takes a verified backup of <paramref name="database"/>, which is at <paramref name="version"/>.</summary>
    public async Task<BackupFile> TakeAsync(NpgsqlConnectionStringBuilder database, long? version, CancellationToken cancellationToken = default)
    {
        using var activity = MigrationTelemetry.ActivitySource.StartActivity("backup");
        activity?.SetTag(MigrationTelemetry.Attributes.DbSystem, "postgresql");
        activity?.SetTag(MigrationTelemetry.Attributes.DbNamespace, database.Database);
        activity?.SetTag(MigrationTelemetry.Attributes.Version, version);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var binaries = FindBinaries();
            var directory = Path.GetFullPath(Settings.Directory);
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new BackupException($"Cannot write backups to {directory}: {ex.Message}", ex);
            }

            var takenAt = DateTime.UtcNow;
            var path = Path.Combine(directory, BackupFile.FileName(database.Database ?? "database", takenAt, version));
            while (File.Exists(path))
            {
                takenAt = takenAt.AddSeconds(1);
                path = Path.Combine(directory, BackupFile.FileName(database.Database ?? "database", takenAt, version));
            }

            var partial = path + ".partial";
            try
            {
                var dump = await ToolRunner.RunAsync(binaries.PgDump,
                    ["--format=custom", "--file", partial, $"--lock-wait-timeout={(int)LockWaitTimeout.TotalMilliseconds}", .. ConnectionArguments(database)],
                    Environment(database), cancellationToken: cancellationToken);
                if (!dump.Succeeded)
                {
                    // pg_dump implements its lock wait with statement_timeout on its LOCK TABLE statements.
                    throw new BackupException(dump.StandardError.Contains("Query was: LOCK TABLE", StringComparison.Ordinal)
                        ? $"pg_dump waited {LockWaitTimeout.TotalSeconds:0} s for a table another session holds locked (a long transaction?): nothing was backed up, " +
                          "so nothing was migrated. End that transaction, then run again."
                        : $"pg_dump failed: {dump.LastError}");
                }

                await VerifyAsync(binaries, partial, cancellationToken);
                File.Move(partial, path);
            }
            finally
            {
                File.Delete(partial);
            }

            var backup = BackupFile.TryRead(path)!;
            ApplyRetention(backup);

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            activity?.SetTag(MigrationTelemetry.Attributes.BackupFile, backup.Name);
            activity?.SetTag(MigrationTelemetry.Attributes.BackupSize, backup.Size);
            activity?.SetStatus(ActivityStatusCode.Ok);
            MigrationTelemetry.BackupDuration.Record(seconds, BackupTags(database, "success"));
            MigrationTelemetry.BackupSize.Record(backup.Size, BackupTags(database, "success"));
            return backup;
        }
        catch (Exception ex)
        {
            activity.RecordFailure(ex);
            MigrationTelemetry.BackupDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, BackupTags(database, "failure"));
            throw;
        }
    }

    private static TagList BackupTags(NpgsqlConnectionStringBuilder database, string outcome) => new()
    {
        { MigrationTelemetry.Attributes.DbNamespace, database.Database },
        { MigrationTelemetry.Attributes.Outcome, outcome },
    };

    /// <summary>
    /// Restores a backup into <paramref name="target"/>. With <paramref name="intoNewDatabase"/> the target must not
    /// exist; otherwise the backup is restored into a new database, and when that succeeded the old database is renamed
    /// aside (kept, never dropped) and the new one takes its name.
    /// </summary>
    /// <param name="allowOtherDatabase">
    /// Restore a dump of another database (its table of contents names it) into <paramref name="target"/>'s name anyway; refused otherwise.
    /// </param>
    public async Task<RestoreResult> RestoreAsync(
        string file, NpgsqlConnectionStringBuilder target, bool intoNewDatabase, bool allowOtherDatabase = false, CancellationToken cancellationToken = default)
    {
        using var activity = MigrationTelemetry.ActivitySource.StartActivity("backup restore");
        activity?.SetTag(MigrationTelemetry.Attributes.BackupFile, Path.GetFileName(file));
        activity?.SetTag(MigrationTelemetry.Attributes.DbNamespace, target.Database);

        var binaries = FindBinaries();
        if (!File.Exists(file))
        {
            throw new BackupException($"No backup at {file}.");
        }

        var dumped = await VerifyAsync(binaries, file, cancellationToken);
        var database = target.Database!;
        if (!intoNewDatabase && !allowOtherDatabase && dumped is not null && dumped != database)
        {
            throw new MigrationException(MigrationErrorKind.Refused,
                $"{Path.GetFileName(file)} is a backup of database {dumped}, not {database}: restoring it would replace {database}'s schema and data with {dumped}'s. " +
                "Nothing was changed. Restore it into a new database with --into NAME, or pass --other-database to replace it anyway.");
        }

        var staging = intoNewDatabase ? database : $"{database}_restore_{DateTime.UtcNow:yyyyMMddHHmmss}";
        await using var admin = await OpenMaintenanceAsync(target, cancellationToken);
        if (await SqlCommands.DatabaseExistsAsync(admin, staging, cancellationToken))
        {
            throw new BackupException($"Database {staging} already exists: restore into a new name with --into.");
        }

        await SqlCommands.ExecuteAsync(admin, $"CREATE DATABASE {Identifiers.Quote(staging)}", cancellationToken: cancellationToken);
        var restore = await ToolRunner.RunAsync(binaries.PgRestore,
            ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
             .. ConnectionArguments(new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = staging }), file],
            Environment(target), cancellationToken: cancellationToken);
        if (!restore.Succeeded)
        {
            await SqlCommands.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Identifiers.Quote(staging)} WITH (FORCE)", cancellationToken: CancellationToken.None);
            throw new BackupException($"pg_restore failed, nothing was changed: {restore.LastError}");
        }

        string? keptAs = null;
        if (!intoNewDatabase && await SqlCommands.DatabaseExistsAsync(admin, database, cancellationToken))
        {
            keptAs = $"{database}_before_restore_{DateTime.UtcNow:yyyyMMddHHmmss}";
            await SqlCommands.ExecuteAsync(admin,
                $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = {MigrationHistory.Literal(database)} AND pid <> pg_backend_pid()",
                cancellationToken: cancellationToken);
            await SqlCommands.ExecuteAsync(admin, $"ALTER DATABASE {Identifiers.Quote(database)} RENAME TO {Identifiers.Quote(keptAs)}", cancellationToken: cancellationToken);
        }

        if (staging != database)
        {
            await SqlCommands.ExecuteAsync(admin, $"ALTER DATABASE {Identifiers.Quote(staging)} RENAME TO {Identifiers.Quote(database)}", cancellationToken: cancellationToken);
        }

        NpgsqlConnection.ClearAllPools();
        var (version, description) = await ReadVersionAsync(target, cancellationToken);
        activity?.SetTag(MigrationTelemetry.Attributes.Version, version);
        return new RestoreResult(database, version, description, keptAs);
    }

    private PostgresBinaries FindBinaries() =>
        PostgresBinaries.Find(Settings.BinDirectory, requireServer: false)
        ?? throw new BackupException(
            $"pg_dump was not found{(Settings.BinDirectory is null ? "" : $" in {Settings.BinDirectory}")}: install PostgreSQL's client programs of the server's major version.");

    /// <summary>Checks that pg_restore can read the archive; returns the name of the database it is a dump of (its table of contents says).</summary>
    private static async Task<string?> VerifyAsync(PostgresBinaries binaries, string file, CancellationToken cancellationToken)
    {
        var list = await ToolRunner.RunAsync(binaries.PgRestore, ["--list", file], cancellationToken: cancellationToken);
        if (!list.Succeeded || !list.StandardOutput.Contains("Archive created at", StringComparison.Ordinal))
        {
            throw new BackupException($"{Path.GetFileName(file)} is not a backup pg_restore can read: {list.LastError}");
        }

        // ";     dbname: superset"
        return list.StandardOutput.Split('\n')
            .Select(line => line.TrimStart(';').Trim())
            .FirstOrDefault(line => line.StartsWith("dbname:", StringComparison.Ordinal))?["dbname:".Length..].Trim();
    }

    private void ApplyRetention(BackupFile newest)
    {
        foreach (var old in BackupFile.List(Path.GetDirectoryName(newest.Path)!).Where(b => b.Database == newest.Database).Skip(Math.Max(1, Settings.Keep)))
        {
            File.Delete(old.Path);
        }
    }

    /// <summary>libpq options for the tools: the password goes through the environment, never the command line.</summary>
    private static IEnumerable<string> ConnectionArguments(NpgsqlConnectionStringBuilder database) =>
    [
        "--no-password",
        "--host", database.Host ?? "localhost",
        "--port", database.Port.ToString(CultureInfo.InvariantCulture),
        "--username", database.Username ?? System.Environment.UserName,
        "--dbname", database.Database ?? "postgres",
    ];

    private static Dictionary<string, string?> Environment(NpgsqlConnectionStringBuilder database)
    {
        var environment = new Dictionary<string, string?> { ["PGPASSWORD"] = database.Password ?? string.Empty, ["PGCONNECT_TIMEOUT"] = "10" };
        environment["PGSSLMODE"] = database.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };
        return environment;
    }

    private static async Task<NpgsqlConnection> OpenMaintenanceAsync(NpgsqlConnectionStringBuilder target, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<(long? Version, string? Description)> ReadVersionAsync(NpgsqlConnectionStringBuilder target, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var current = (await MigrationHistory.ReadAsync(connection, cancellationToken)).MaxBy(a => a.Version);
        return (current?.Version, current?.Description);
    }
}
