using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Superset.Migrations.Telemetry;

namespace Superset.Migrations.Engine;

/// <summary>Who holds the migration lock, for the message of a runner that waits.</summary>
public sealed record LockHolder(int Pid, string? ApplicationName, string? ClientAddress, DateTimeOffset? Since)
{
    public override string ToString() =>
        $"pid {Pid}" +
        (string.IsNullOrEmpty(ApplicationName) ? "" : $", {ApplicationName}") +
        (string.IsNullOrEmpty(ClientAddress) ? "" : $", from {ClientAddress}") +
        (Since is null ? "" : $", connected since {Since:HH:mm:ss}");
}

/// <summary>
/// A session-level PostgreSQL advisory lock on a key derived from the database name: one runner at a time per
/// database, across processes and machines. PostgreSQL releases it when the session ends, so a killed runner
/// never leaves it behind.
/// </summary>
public sealed class MigrationLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private MigrationLock(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    public static long KeyFor(string database)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("superset.migrations/" + database));
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/> and telling <paramref name="onWaiting"/> who holds it.</summary>
    public static async Task<MigrationLock> AcquireAsync(
        NpgsqlConnection connection, TimeSpan wait, Action<LockHolder?>? onWaiting, CancellationToken cancellationToken)
    {
        var key = KeyFor(connection.Database);
        if (await TryAcquireAsync(connection, key, cancellationToken))
        {
            return new MigrationLock(connection, key);
        }

        var holder = await FindHolderAsync(connection, key, cancellationToken);
        onWaiting?.Invoke(holder);

        using var activity = MigrationTelemetry.ActivitySource.StartActivity("migration lock wait");
        activity?.SetTag(MigrationTelemetry.Attributes.DbSystem, "postgresql");
        activity?.SetTag(MigrationTelemetry.Attributes.DbNamespace, connection.Database);
        if (holder is not null)
        {
            activity?.SetTag(MigrationTelemetry.Attributes.LockHolderPid, holder.Pid);
            activity?.SetTag(MigrationTelemetry.Attributes.LockHolderApplication, holder.ApplicationName);
        }

        // A blocking pg_advisory_lock bounded by lock_timeout wakes the moment the holder lets go, unlike polling.
        var timeoutMs = Math.Max(1, (long)wait.TotalMilliseconds);
        await using var command = new NpgsqlCommand(
            $"SET lock_timeout = {timeoutMs}; SELECT pg_advisory_lock({key}); RESET lock_timeout;", connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            await using var reset = new NpgsqlCommand("RESET lock_timeout", connection);
            await reset.ExecuteNonQueryAsync(CancellationToken.None);
            var timedOut = new MigrationException(
                MigrationErrorKind.LockTimeout,
                $"Timed out after {wait.TotalSeconds:0.#} s waiting for the migration lock on '{connection.Database}', held by {holder?.ToString() ?? "another session"}.",
                ex);
            activity.RecordFailure(timedOut);
            throw timedOut;
        }

        return new MigrationLock(connection, key);
    }

    private static async Task<bool> TryAcquireAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({key})", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<LockHolder?> FindHolderAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        // A bigint advisory key shows in pg_locks as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
        await using var command = new NpgsqlCommand(
            """
            SELECT a.pid, a.application_name, a.client_addr::text, a.backend_start
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::bigint = $1 AND l.objid::bigint = $2
            LIMIT 1
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (long)((ulong)key >> 32) });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)((ulong)key & 0xFFFFFFFF) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new LockHolder(
            reader.GetInt32(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3));
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.State != System.Data.ConnectionState.Open)
        {
            return; // The session is gone, and with it the lock.
        }

        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({_key})", _connection);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A broken session releases the lock itself when it ends.
        }
    }
}
