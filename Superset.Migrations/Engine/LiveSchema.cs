using FluentMigrator;
using Npgsql;

namespace Superset.Migrations.Engine;

/// <summary>Answers a migration's schema questions from the database it is being applied to, inside its transaction.</summary>
internal sealed class LiveSchema(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IQuerySchema
{
    private readonly List<string> _answers = [];

    /// <summary>Whether the migration asked anything: its SQL then depends on the database, and has no stable checksum.</summary>
    public bool WasQueried => _answers.Count > 0;

    /// <summary>What it asked and what the database answered, in order ("column users.email does not exist").</summary>
    public IReadOnlyList<string> Answers => _answers;

    public string DatabaseType => OfflineSchema.Instance.DatabaseType;

    public IList<string> DatabaseTypeAliases => OfflineSchema.Instance.DatabaseTypeAliases;

    public bool SchemaExists(string schemaName) =>
        Exists($"schema {Schema(schemaName)}", "SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", Schema(schemaName));

    public bool TableExists(string schemaName, string tableName) =>
        Exists($"table {tableName}", "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2",
            Schema(schemaName), tableName);

    public bool ColumnExists(string schemaName, string tableName, string columnName) =>
        Exists($"column {tableName}.{columnName}", "SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3",
            Schema(schemaName), tableName, columnName);

    public bool ConstraintExists(string schemaName, string tableName, string constraintName) =>
        Exists($"constraint {constraintName} on {tableName}", "SELECT 1 FROM information_schema.table_constraints WHERE table_schema = $1 AND table_name = $2 AND constraint_name = $3",
            Schema(schemaName), tableName, constraintName);

    public bool IndexExists(string schemaName, string tableName, string indexName) =>
        Exists($"index {indexName} on {tableName}", "SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 AND indexname = $3",
            Schema(schemaName), tableName, indexName);

    public bool SequenceExists(string schemaName, string sequenceName) =>
        Exists($"sequence {sequenceName}", "SELECT 1 FROM information_schema.sequences WHERE sequence_schema = $1 AND sequence_name = $2",
            Schema(schemaName), sequenceName);

    public bool DefaultValueExists(string schemaName, string tableName, string columnName, object defaultValue) =>
        Exists($"a default {defaultValue} on {tableName}.{columnName}", "SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3 AND column_default LIKE '%' || $4 || '%'",
            Schema(schemaName), tableName, columnName, defaultValue.ToString() ?? string.Empty);

    private static string Schema(string? name) => string.IsNullOrEmpty(name) ? "public" : name;

    private bool Exists(string what, string sql, params string[] values)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var exists = command.ExecuteScalar() is not null;
        _answers.Add($"{what} {(exists ? "exists" : "does not exist")}");
        return exists;
    }
}
