using FluentMigrator;

namespace Superset.Migrations.Engine;

/// <summary>
/// The schema as seen when scripting without a database (<c>--sql</c>, checksums): a migration whose SQL depends on
/// what exists (<c>Schema.Table("x").Exists()</c>) cannot be scripted ahead of time, and is told so.
/// </summary>
internal sealed class OfflineSchema : IQuerySchema
{
    public static OfflineSchema Instance { get; } = new();

    /// <summary>What FluentMigrator's Postgres15_0Processor says, so that <c>IfDatabase(…)</c> takes the same branches as under its runner.</summary>
    public string DatabaseType => FluentMigrator.ProcessorIdConstants.PostgreSQL15_0;

    public IList<string> DatabaseTypeAliases { get; } = [FluentMigrator.ProcessorIdConstants.PostgreSQL15_0, FluentMigrator.ProcessorIdConstants.PostgreSQL];

    public bool SchemaExists(string schemaName) => throw Dynamic($"schema {schemaName}");

    public bool TableExists(string schemaName, string tableName) => throw Dynamic($"table {Qualified(schemaName, tableName)}");

    public bool ColumnExists(string schemaName, string tableName, string columnName) =>
        throw Dynamic($"column {Qualified(schemaName, tableName)}.{columnName}");

    public bool ConstraintExists(string schemaName, string tableName, string constraintName) =>
        throw Dynamic($"constraint {constraintName} on {Qualified(schemaName, tableName)}");

    public bool IndexExists(string schemaName, string tableName, string indexName) => throw Dynamic($"index {indexName} on {Qualified(schemaName, tableName)}");

    public bool SequenceExists(string schemaName, string sequenceName) => throw Dynamic($"sequence {Qualified(schemaName, sequenceName)}");

    public bool DefaultValueExists(string schemaName, string tableName, string columnName, object defaultValue) =>
        throw Dynamic($"a default on {Qualified(schemaName, tableName)}.{columnName}");

    private static string Qualified(string? schema, string name) => string.IsNullOrEmpty(schema) ? name : $"{schema}.{name}";

    private static DynamicMigrationException Dynamic(string what) => new($"(it asks whether {what} exists)");
}

/// <summary>The migration asks the live database what exists, so its SQL is only known while it runs.</summary>
/// <param name="question">What it asked, for messages: "(it asks whether table users exists)".</param>
public sealed class DynamicMigrationException(string question = "(it asks the live schema)")
    : Exception($"The migration queries the database schema {question}, so its SQL is only known when it runs.")
{
    public string Question { get; } = question;
}
