using FluentMigrator;

namespace Superset.Migrations.Engine;

/// <summary>
/// The schema as seen when scripting without a database (<c>--sql</c>, checksums): a migration whose SQL depends on
/// what exists (<c>Schema.Table("x").Exists()</c>) cannot be scripted ahead of time, and is told so.
/// </summary>
internal sealed class OfflineSchema : IQuerySchema
{
    public static OfflineSchema Instance { get; } = new();

    public string DatabaseType => "Postgres15_0";

    public IList<string> DatabaseTypeAliases { get; } = ["PostgreSQL", "Postgres", "PostgreSQL15_0"];

    public bool SchemaExists(string schemaName) => throw Dynamic();

    public bool TableExists(string schemaName, string tableName) => throw Dynamic();

    public bool ColumnExists(string schemaName, string tableName, string columnName) => throw Dynamic();

    public bool ConstraintExists(string schemaName, string tableName, string constraintName) => throw Dynamic();

    public bool IndexExists(string schemaName, string tableName, string indexName) => throw Dynamic();

    public bool SequenceExists(string schemaName, string sequenceName) => throw Dynamic();

    public bool DefaultValueExists(string schemaName, string tableName, string columnName, object defaultValue) => throw Dynamic();

    private static DynamicMigrationException Dynamic() => new();
}

/// <summary>The migration asks the live database what exists, so its SQL is only known while it runs.</summary>
public sealed class DynamicMigrationException()
    : Exception("The migration queries the database schema, so its SQL is only known when it runs.");
