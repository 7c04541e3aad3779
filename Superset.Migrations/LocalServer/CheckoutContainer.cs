using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// The checkout's PostgreSQL container in container mode: a name, a data volume and a host port of its own (derived
/// from the checkout's state directory, so two checkouts side by side never share a data directory, and the port stays
/// the same from one F5 to the next), and the checkout's password file, the same one local mode uses. The AppHost
/// records it in the state directory when it runs in container mode (<c>container.json</c>), and removes the record when
/// it runs in local mode: the command line follows that record to the database F5 uses, with no setting.
/// </summary>
public sealed record CheckoutContainer(string Name, string Volume, int Port, string Image, string StateDirectory)
{
    /// <summary>The first port of the range containers get their host ports from (55000 to 55679; local servers use 54320 to 54999).</summary>
    public const int FirstPort = 55000;

    private const int PortRange = 680;

    private const string RecordFile = "container.json";

    /// <summary>The container the checkout whose state lives in <paramref name="stateDirectory"/> runs, with the image given.</summary>
    /// <param name="port">Postgres:Port when set: the host port instead of the checkout's own.</param>
    public static CheckoutContainer For(string stateDirectory, string image, int? port = null)
    {
        var full = Path.GetFullPath(stateDirectory);
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..8];
        return new CheckoutContainer($"superset-postgres-{id}", $"superset-postgres-data-{id}", port ?? FirstPort + PathOffset.Of(full, PortRange), image, full);
    }

    /// <summary>
    /// Why the container cannot publish its port: another program listens on it (not the engine's proxy for this
    /// container, which is the container itself, running from an earlier F5); null when it can.
    /// </summary>
    public string? PortTaken() =>
        PortHolder.IsFree(Port) || PortHolder.Find(Port) is { CommandLine: var command } && command.Contains("docker-proxy", StringComparison.Ordinal)
            || IsPodmanForwarder(PortHolder.Find(Port))
            ? null
            : $"{PortHolder.Describe(Port)}, the host port of this checkout's PostgreSQL container {Name}: stop that program, or give the container another port with Postgres:Port (Postgres__Port=N).";

    private static bool IsPodmanForwarder(PortHolder? holder) =>
        holder is { CommandLine: var command } && (command.Contains("conmon", StringComparison.Ordinal) || command.Contains("rootlessport", StringComparison.Ordinal));

    public string PasswordFile => ClusterLayout.PasswordPath(StateDirectory);

    /// <summary>The superuser's password: the checkout's (generated the first time, owner-only).</summary>
    public string Password()
    {
        Directory.CreateDirectory(StateDirectory);
        return ClusterLayout.ReadOrCreatePassword(StateDirectory);
    }

    public NpgsqlConnectionStringBuilder ConnectionString(string database) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = Password(),
        Database = database,
    };

    /// <summary>Records that the AppHost runs this container for the checkout (the command line then uses it).</summary>
    public void RecordInUse()
    {
        Directory.CreateDirectory(StateDirectory);
        var path = Path.Combine(StateDirectory, RecordFile);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(
            new ContainerRecord(Name, Volume, Port, Image, DateTimeOffset.UtcNow), ContainerRecordJson.Default.ContainerRecord));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The container the AppHost last ran for this checkout; null when it last ran another mode (or never).</summary>
    public static CheckoutContainer? InUse(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, RecordFile);
        try
        {
            return File.Exists(path) && JsonSerializer.Deserialize(File.ReadAllBytes(path), ContainerRecordJson.Default.ContainerRecord) is { } record
                ? new CheckoutContainer(record.Name, record.Volume, record.Port, record.Image, Path.GetFullPath(stateDirectory))
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The AppHost runs another mode now: the command line goes back to the local server.</summary>
    public static void NotInUse(string stateDirectory)
    {
        try
        {
            File.Delete(Path.Combine(stateDirectory, RecordFile));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left: the command line then tries the container, and says so.
        }
    }

    /// <summary>The files that decide whether the command line uses the container (for its kept answers).</summary>
    public static string RecordPath(string stateDirectory) => Path.Combine(stateDirectory, RecordFile);

    public string Describe(string database) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Using the AppHost's PostgreSQL container {Name} (database {database} at 127.0.0.1:{Port}, data in the volume {Volume}; F5 starts it, or 'docker start {Name}').");
}

internal sealed record ContainerRecord(string Name, string Volume, int Port, string Image, DateTimeOffset RecordedAt);

[JsonSerializable(typeof(ContainerRecord))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ContainerRecordJson : JsonSerializerContext;
