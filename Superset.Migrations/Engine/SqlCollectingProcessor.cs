using System.Data;
using System.Globalization;
using FluentMigrator;
using FluentMigrator.Expressions;
using FluentMigrator.Runner.Generators;
using FluentMigrator.Runner.Processors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Superset.Migrations.Engine;

/// <summary>
/// A FluentMigrator processor that executes nothing: it records the SQL the PostgreSQL generator makes for each
/// expression, so that the engine can run a whole migration and its version row in one transaction and one
/// round trip, print it for <c>--sql</c>, and checksum it.
/// </summary>
internal sealed class SqlCollectingProcessor(IMigrationGenerator generator, IQuerySchema schema)
    : ProcessorBase(generator, NullLogger.Instance, new ProcessorOptions())
{
    public List<ScriptStep> Steps { get; } = [];

    public override string DatabaseType => schema.DatabaseType;

    public override IList<string> DatabaseTypeAliases => schema.DatabaseTypeAliases;

    protected override void Process(string sql)
    {
        if (!string.IsNullOrWhiteSpace(sql))
        {
            Steps.Add(new ScriptStep.Sql(sql));
        }
    }

    // ProcessorBase.Execute(sql) escapes braces and lands here, so formatting always applies.
    public override void Execute(string template, params object[] args) =>
        Process(string.Format(CultureInfo.InvariantCulture, template, args));

    public override void Process(PerformDBOperationExpression expression) =>
        Steps.Add(new ScriptStep.Code(expression.Operation, expression.Description ?? "Execute.WithConnection"));

    public override DataSet ReadTableData(string schemaName, string tableName) =>
        throw NotWhileScripting("read table data");

    public override DataSet Read(string template, params object[] args) => throw NotWhileScripting("read data");

    public override bool Exists(string template, params object[] args) => throw NotWhileScripting("run a query");

    public override bool SchemaExists(string schemaName) => schema.SchemaExists(schemaName);

    public override bool TableExists(string schemaName, string tableName) => schema.TableExists(schemaName, tableName);

    public override bool ColumnExists(string schemaName, string tableName, string columnName) =>
        schema.ColumnExists(schemaName, tableName, columnName);

    public override bool ConstraintExists(string schemaName, string tableName, string constraintName) =>
        schema.ConstraintExists(schemaName, tableName, constraintName);

    public override bool IndexExists(string schemaName, string tableName, string indexName) =>
        schema.IndexExists(schemaName, tableName, indexName);

    public override bool SequenceExists(string schemaName, string sequenceName) =>
        schema.SequenceExists(schemaName, sequenceName);

    public override bool DefaultValueExists(string schemaName, string tableName, string columnName, object defaultValue) =>
        schema.DefaultValueExists(schemaName, tableName, columnName, defaultValue);

    protected override void Dispose(bool isDisposing)
    {
    }

    private static NotSupportedException NotWhileScripting(string what) =>
        new($"A migration tried to {what} while being scripted; use Execute.WithConnection for code that needs the database.");
}
