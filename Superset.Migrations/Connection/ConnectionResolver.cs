using Microsoft.Extensions.Configuration;
using Npgsql;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Settings;

namespace Superset.Migrations.Connection;

/// <summary>Where the database setting came from and what it says.</summary>
public sealed record ConnectionSetting(string Source, string Value);

/// <summary>The database to work on, where that came from, and a line to tell the user when it was not configured.</summary>
/// <param name="Local">The local development database's details, when it is that one.</param>
public sealed record ResolvedConnection(NpgsqlConnectionStringBuilder ConnectionString, string Source, string? Notice, LocalDatabaseUse? Local = null)
{
    /// <summary>Where the password is kept, when it is in a file of the checkout's (the local server's, or the container's).</summary>
    public string? PasswordFile { get; init; }

    /// <summary>The files whose change may change which database this is, besides the local server's (for kept answers).</summary>
    public IReadOnlyList<string> ChosenBy { get; init; } = [];
}

/// <summary>
/// Finds the database to migrate the way Superset users expect: the seed's variables first (so existing
/// <c>.env</c> files keep working), then the connection string Aspire injects.
/// </summary>
public static class ConnectionResolver
{
    public const string ConnectionName = "superset";

    /// <summary>The <see cref="ResolvedConnection.Source"/> of the checkout's local development database.</summary>
    public const string LocalSource = "local development database";

    /// <summary>The <see cref="ResolvedConnection.Source"/> of the checkout's PostgreSQL container (container mode).</summary>
    public const string ContainerSource = "the AppHost's PostgreSQL container";

    /// <summary>The variables read, in order.</summary>
    public static readonly IReadOnlyList<string> Variables =
        ["SUPERSET__SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_DATABASE_URI", $"ConnectionStrings__{ConnectionName}"];

    /// <summary>The first variable that is set, or null when none is.</summary>
    /// <param name="configuration">The program's configuration: its environment, and for the worker its appsettings too.</param>
    public static ConnectionSetting? FromConfiguration(IConfiguration configuration)
    {
        foreach (var name in Variables)
        {
            var value = configuration[name.Replace("__", ":", StringComparison.Ordinal)];
            if (!string.IsNullOrWhiteSpace(value))
            {
                return new ConnectionSetting(name, value);
            }
        }

        return null;
    }

    /// <summary>
    /// The configured database, else (inside a checkout) the local development database that the AppHost
    /// provisions, started on demand. Throws <see cref="InvalidConnectionException"/> when neither exists.
    /// </summary>
    public static async Task<ResolvedConnection> ResolveAsync(
        IConfiguration configuration, string startDirectory, CancellationToken cancellationToken = default)
    {
        if (FromConfiguration(configuration) is { } setting)
        {
            return new ResolvedConnection(Parse(setting), setting.Source, Notice: null);
        }

        var root = Checkout.FindRoot(startDirectory)
            ?? throw new InvalidConnectionException($"No database configured: set {string.Join(", ", Variables)}.");
        // A server that cannot start (a port taken, another major version) throws LocalServerException: a failure
        // with its own message, not bad input.
        var settings = SettingsReader.Read<PostgresSettings>(configuration, PostgresSettings.Section);

        // The AppHost last ran in container mode: the database F5 uses is in the checkout's container.
        if (CheckoutContainer.InUse(settings.StateDirectory(root)) is { } container)
        {
            var database = LocalDevelopmentDatabase.DatabaseName;
            return new ResolvedConnection(container.ConnectionString(database), ContainerSource, container.Describe(database))
            {
                PasswordFile = container.PasswordFile,
                ChosenBy = [CheckoutContainer.RecordPath(container.StateDirectory), container.PasswordFile],
            };
        }

        var local = await LocalDevelopmentDatabase.EnsureAsync(root, settings, cancellationToken);
        return new ResolvedConnection(local.ConnectionString, LocalSource, local.Message, local);
    }

    /// <summary>Parses a setting; throws <see cref="InvalidConnectionException"/> with a one-line, password-free message.</summary>
    public static NpgsqlConnectionStringBuilder Parse(ConnectionSetting setting)
    {
        try
        {
            return DatabaseUri.Parse(setting.Value);
        }
        catch (SqliteNotSupportedException)
        {
            throw;
        }
        catch (InvalidConnectionException ex)
        {
            throw new InvalidConnectionException($"{setting.Source}: {ex.Message}");
        }
    }
}
