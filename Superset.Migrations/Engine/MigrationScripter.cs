using FluentMigrator;
using FluentMigrator.Infrastructure;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Conventions;
using FluentMigrator.Runner.Generators.Postgres;
using FluentMigrator.Runner.Processors.Postgres;
using FluentMigrator.Validation;

namespace Superset.Migrations.Engine;

/// <summary>
/// Turns a FluentMigrator migration into the PostgreSQL statements it stands for, using FluentMigrator's own
/// conventions, validation and PostgreSQL 15 generator, so that migrations are written exactly as FluentMigrator
/// users write them.
/// </summary>
public sealed class MigrationScripter
{
    private readonly Postgres15_0Generator _generator = new(Connection.Identifiers.Quoter);
    private readonly DefaultConventionSet _conventions = new();
    private readonly DefaultMigrationExpressionValidator _validator = new(serviceProvider: null);

    /// <summary>Scripts a migration; <paramref name="schema"/> answers schema questions (offline when null).</summary>
    public MigrationScript Script(KnownMigration migration, MigrationDirection direction, IQuerySchema? schema = null)
    {
        using var processor = new SqlCollectingProcessor(_generator, schema ?? OfflineSchema.Instance);
        var context = new MigrationContext(processor, NoServices.Instance, connection: string.Empty);

        var instance = migration.CreateInstance();
        if (direction == MigrationDirection.Up)
        {
            instance.GetUpExpressions(context);
        }
        else
        {
            instance.GetDownExpressions(context);
        }

        foreach (var expression in context.Expressions.Apply(_conventions))
        {
            var errors = _validator.Validate(expression).Select(r => r.ErrorMessage).ToList();
            if (errors.Count > 0)
            {
                throw new MigrationException(
                    MigrationErrorKind.InvalidInput,
                    $"Migration {migration} is invalid ({expression.GetType().Name}): {string.Join(" ", errors)}");
            }

            expression.ExecuteWith(processor);
        }

        return new MigrationScript(migration, direction, processor.Steps.ToArray());
    }

    /// <summary>The checksum of a migration's Up script, or null when its SQL depends on the live schema.</summary>
    public string? TryChecksum(KnownMigration migration)
    {
        try
        {
            return Script(migration, MigrationDirection.Up).Checksum;
        }
        catch (DynamicMigrationException)
        {
            return null;
        }
    }

    /// <summary>
    /// A migration's Down() as the SQL to keep with its history row, so that it can be reverted once its code is gone (a
    /// branch switch): its statements, scripted offline exactly as <c>--sql</c> prints them. Null when that cannot be
    /// known ahead: Down() runs C#, asks the live schema, does nothing, or cannot run at all.
    /// </summary>
    public string? TryScriptDownSql(KnownMigration migration)
    {
        try
        {
            var steps = Script(migration, MigrationDirection.Down).Steps;
            return steps.Count == 0 || steps.Any(s => s is ScriptStep.Code)
                ? null
                : string.Join(";\n", steps.Select(s => s.Text.Trim().TrimEnd(';')));
        }
        catch (Exception ex) when (ex is DynamicMigrationException or MigrationException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    private sealed class NoServices : IServiceProvider
    {
        public static NoServices Instance { get; } = new();

        public object? GetService(Type serviceType) => null;
    }
}
