using Microsoft.Extensions.Options;
using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Settings;

namespace Superset.MigrationWorker.Worker;

/// <summary>
/// The database the worker was configured with, password included (the data source hides the password from its
/// connection string, and pg_dump needs it), and how the worker connects to it: through the data source (Aspire's
/// tracing), waiting for a server that is still starting up to <c>Migrations:StartupWait</c>.
/// </summary>
internal sealed partial class WorkerDatabase(
    NpgsqlConnectionStringBuilder connectionString, NpgsqlDataSource dataSource, IOptions<MigrationsSettings> options, ILogger<WorkerDatabase> logger)
{
    public NpgsqlConnectionStringBuilder ConnectionString { get; } = connectionString;

    public Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        DatabaseConnector.OpenAsync(dataSource, ConnectionString, TimeSpan.FromSeconds(options.Value.StartupWait), LogWaiting, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    private partial void LogWaiting(string line);
}
