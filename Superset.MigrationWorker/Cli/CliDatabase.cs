using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.DeveloperDatabase;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli;

/// <summary>The database a command works on: resolved once per run (and said on stderr when it is the local one), and opened.</summary>
internal sealed class CliDatabase(CliEnvironment environment)
{
    private ResolvedConnection? _connection;

    /// <summary>The database to work on; says so on stderr when it is the local development database.</summary>
    public async Task<ResolvedConnection> ResolveAsync(CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            _connection = await ConnectionResolver.ResolveAsync(environment.Configuration, environment.CheckoutSearchStart, cancellationToken);
            if (_connection.Notice is not null)
            {
                await environment.Error.WriteLineAsync($"ℹ️  {_connection.Notice}");
            }
        }

        return _connection;
    }

    /// <summary>
    /// Refuses (exit 4) what only a developer's own database may have done to it, unless <c>--force</c>: on another host,
    /// or where the environment is not Development (see <see cref="LocalDevelopment"/>).
    /// </summary>
    public async Task RequireLocalDevelopmentAsync(string what, bool force, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(cancellationToken);
        if (LocalDevelopment.WhyNot(environment.GetVariable, resolved.ConnectionString) is { } why && !force)
        {
            throw new MigrationException(MigrationErrorKind.Refused,
                $"{what} is for a local development database, and {why}: add --force if you mean {resolved.ConnectionString.Database} on {resolved.ConnectionString.Host}.");
        }
    }

    /// <summary>Where it is, without secrets: <c>user@host:port/database</c>.</summary>
    public async Task<string> DescribeAsync(CancellationToken cancellationToken) =>
        DatabaseUri.Describe((await ResolveAsync(cancellationToken)).ConnectionString);

    /// <summary>Opens a connection to the database, with an application name that shows who holds locks.</summary>
    public Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync(loadTypes: true, cancellationToken);

    /// <summary>
    /// Opens a connection that only reads the migration history (status, current, history, heads): without loading the
    /// server's data types first, since those reads meet only built-in ones; the loading is 12 ms of a 180 ms status
    /// (measured). Migrations never run on it: their own code may read a type of the application's.
    /// </summary>
    public Task<NpgsqlConnection> OpenForReadingHistoryAsync(CancellationToken cancellationToken) => OpenAsync(loadTypes: false, cancellationToken);

    private async Task<NpgsqlConnection> OpenAsync(bool loadTypes, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenResolvedAsync(loadTypes, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName && _connection?.Source == ConnectionResolver.LocalSource
                                          && Superset.Migrations.LocalServer.Checkout.FindRoot(environment.CheckoutSearchStart) is { } root)
        {
            // The local database was dropped since a command last saw it: made again, as the first command would.
            Superset.Migrations.LocalServer.LocalDevelopmentDatabase.Forget(root,
                Superset.Migrations.Settings.SettingsReader.Read<Superset.Migrations.Settings.PostgresSettings>(environment.Configuration, Superset.Migrations.Settings.PostgresSettings.Section),
                _connection.ConnectionString.Database!);
            _connection = null;
            return await OpenResolvedAsync(loadTypes, cancellationToken);
        }
    }

    private async Task<NpgsqlConnection> OpenResolvedAsync(bool loadTypes, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(cancellationToken);
        var builder = new NpgsqlConnectionStringBuilder(resolved.ConnectionString.ConnectionString)
        {
            ApplicationName = resolved.ConnectionString.ApplicationName ?? "superset-migrations",
            // One short-lived session per command: no pool to keep, and nothing left idle on the server.
            Pooling = false,
        };
        if (loadTypes)
        {
            return await DatabaseConnector.OpenAsync(builder, cancellationToken: cancellationToken);
        }

        // Unpooled, the data source keeps nothing open of its own: the connection is all there is to close.
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).ConfigureTypeLoading(types => types.EnableTypeLoading(false)).Build();
        return await DatabaseConnector.OpenAsync(dataSource, builder, cancellationToken: cancellationToken);
    }
}
