using Npgsql;

namespace Superset.MigrationWorker.Worker;

/// <summary>
/// The database the worker was configured with, password included: the data source hides the password from its
/// connection string, and pg_dump needs it.
/// </summary>
internal sealed record WorkerDatabase(NpgsqlConnectionStringBuilder ConnectionString);
