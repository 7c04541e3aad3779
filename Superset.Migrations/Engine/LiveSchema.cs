using FluentMigrator;
using Npgsql;

namespace Superset.Migrations.Engine;

/// <summary>Answers a migration's schema questions from the database it is being applied to, inside its transaction.</summary>
internal sealed class LiveSchema(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IQuerySchema
{
    /// <summary>Whether the migration asked anything: its SQL then depends on the database, and has no stable checksum.</summary>
    public bool WasQueried { get; private set; }

    public string DatabaseType => OfflineSchema.Instance.DatabaseType;

    public IList<string> DatabaseTypeAliases => OfflineSchema.Instance.DatabaseTypeAliases;

    public bool SchemaExists(string schemaName) =>
        Exists("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", Schema(schemaName));

    public bool TableExists(string schemaName, string tableName) =>
        Exists("SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2",
            Schema(schemaName), tableName);

    public bool ColumnExists(string schemaName, string tableName, string columnName) =>
        Exists("SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3",
            Schema(schemaName), tableName, columnName);

    public bool ConstraintExists(string schemaName, string tableName, string constraintName) =>
        Exists("SELECT 1 FROM information_schema.table_constraints WHERE table_schema = $1 AND table_name = $2 AND constraint_name = $3",
            Schema(schemaName), tableName, constraintName);

    public bool IndexExists(string schemaName, string tableName, string indexName) =>
        Exists("SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 AND indexname = $3",
            Schema(schemaName), tableName, indexName);

    public bool SequenceExists(string schemaName, string sequenceName) =>
        Exists("SELECT 1 FROM information_schema.sequences WHERE sequence_schema = $1 AND sequence_name = $2",
            Schema(schemaName), sequenceName);

    public bool DefaultValueExists(string schemaName, string tableName, string columnName, object defaultValue) =>
        Exists("SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3 AND column_default LIKE '%' || $4 || '%'",
            Schema(schemaName), tableName, columnName, defaultValue.ToString() ?? string.Empty);

    private static string Schema(string? name) => string.IsNullOrEmpty(name) ? "public" : name;

    private bool Exists(string sql, params string[] values)
    {
        WasQueried = true;
        using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command.ExecuteScalar() is not null;
    }
}
