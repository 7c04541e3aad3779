using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Superset.Migrations.Connection;

/// <summary>
/// The databases this tool makes for a moment: a throwaway (lint, adopt, <c>--sql</c>, autogenerate), a copy in the
/// making (a snapshot being saved, a restore or a reset being prepared) and what a swap put aside. Their name says they
/// are ours and who made them (<c>ss_work_&lt;host&gt;_&lt;pid&gt;_&lt;random&gt;</c>): the creating process drops its
/// own when it ends in any ordinary way, and one left by a killed process (SIGKILL, a closed terminal, a crash) is
/// dropped by the next run on that server from the same machine, once that process is gone. A database of any other
/// name is never dropped by that rule, however it looks.
/// </summary>
public static partial class WorkDatabases
{
    /// <summary>What every work database's name starts with.</summary>
    public const string Prefix = "ss_work_";

    /// <summary>This machine, as its work databases' names carry it (a hash: no host name on the server).</summary>
    public static string ThisHost { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Environment.MachineName)))[..8];

    /// <summary>A new name, unique on any server, for a work database of this process.</summary>
    public static string NewName() =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{ThisHost}_{Environment.ProcessId}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");

    /// <summary>Whether <paramref name="name"/> is a work database's name.</summary>
    public static bool IsWorkDatabase(string name) => NamePattern().IsMatch(name);

    /// <summary>
    /// Whether the process that made <paramref name="name"/> is gone, so that nothing will drop it but us: it was made on
    /// this machine by a process that no longer runs. One made elsewhere is left to that machine's runs.
    /// </summary>
    public static bool IsAbandoned(string name)
    {
        var match = NamePattern().Match(name);
        if (!match.Success || match.Groups["host"].Value != ThisHost || !int.TryParse(match.Groups["pid"].Value, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // No process with that id.
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>
    /// Drops the work databases that killed runs on this machine left on the server <paramref name="admin"/> is
    /// connected to; returns their names. Best effort: a database it may not drop is left for a run that may.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DropAbandonedAsync(NpgsqlConnection admin, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE left(datname, length($1)) = $1", admin))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = Prefix });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add(reader.GetString(0));
            }
        }

        var dropped = new List<string>();
        foreach (var name in names.Where(IsAbandoned))
        {
            try
            {
                await DropAsync(admin, name, cancellationToken);
                dropped.Add(name);
            }
            catch (PostgresException)
            {
                // Not ours to drop after all (another owner), or in use: the next run tries again.
            }
        }

        return dropped;
    }

    /// <summary>Drops a work database (closing its sessions); refuses any other name, so that no caller can drop a user's database by mistake.</summary>
    public static Task DropAsync(NpgsqlConnection admin, string name, CancellationToken cancellationToken)
    {
        if (!IsWorkDatabase(name))
        {
            throw new InvalidOperationException($"{name} is not a work database: only those are dropped here.");
        }

        return SqlCommands.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Identifiers.Quote(name)} WITH (FORCE)", cancellationToken: cancellationToken);
    }

    /// <summary>Drops a work database whatever happened before (a cancel included); a failure here is left to the next run's clean-up.</summary>
    public static async Task TryDropAsync(NpgsqlConnection admin, string name)
    {
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await DropAsync(admin, name, bounded.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            // Named as ours: the next run on this server drops it once this process is gone.
        }
    }

    [GeneratedRegex("^ss_work_(?<host>[0-9a-f]{8})_(?<pid>[0-9]{1,10})_[0-9a-f]{8}$")]
    private static partial Regex NamePattern();
}
