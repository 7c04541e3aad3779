using System.Collections.Concurrent;
using System.Reflection;
using FluentMigrator;
using FluentMigrator.Expressions;
using FluentMigrator.Infrastructure;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Conventions;
using FluentMigrator.Runner.Generators.Postgres;
using FluentMigrator.Validation;

namespace Superset.Migrations.Engine;

/// <summary>
/// Turns a FluentMigrator migration into the PostgreSQL statements it stands for, using FluentMigrator's own
/// conventions, validation and PostgreSQL 15 generator, so that migrations are written exactly as FluentMigrator
/// users write them. Whatever the migration's own code throws while it is scripted becomes a
/// <see cref="MigrationCodeException"/> that names it.
/// </summary>
public sealed class MigrationScripter
{
    private readonly Postgres15_0Generator _generator = new(Connection.Identifiers.Quoter);
    private readonly DefaultMigrationExpressionValidator _validator = new(serviceProvider: null);
    private readonly ConcurrentDictionary<Assembly, (IConventionSet Conventions, IServiceProvider Services)> _byAssembly = new();

    /// <summary>Scripts a migration; <paramref name="schema"/> answers schema questions (offline when null).</summary>
    public MigrationScript Script(KnownMigration migration, MigrationDirection direction, IQuerySchema? schema = null)
    {
        // Scripted offline before, with nothing but SQL: the same statements, without running its code again.
        var cache = schema is null or OfflineSchema ? ScriptCache.For(migration.Type.Assembly) : null;
        if (cache is not null && cache.TryGet(migration, direction, out var cached))
        {
            return new MigrationScript(migration, direction, cached.Select(statement => (ScriptStep)new ScriptStep.Sql(statement)).ToArray());
        }

        var (conventions, services) = _byAssembly.GetOrAdd(migration.Type.Assembly, For);
        using var processor = new SqlCollectingProcessor(_generator, schema ?? OfflineSchema.Instance);
        var context = new MigrationContext(processor, services, connection: string.Empty);
        var where = direction == MigrationDirection.Up ? "its Up()" : "its Down()";

        var instance = migration.CreateInstance();
        IEnumerable<IMigrationExpression> expressions;
        try
        {
            if (direction == MigrationDirection.Up)
            {
                instance.GetUpExpressions(context);
            }
            else
            {
                instance.GetDownExpressions(context);
            }

            expressions = context.Expressions.Apply(conventions).ToList();
        }
        catch (Exception ex) when (ex is not (DynamicMigrationException or MigrationException))
        {
            throw new MigrationCodeException(migration, where, ex);
        }

        foreach (var expression in expressions)
        {
            var errors = _validator.Validate(expression).Select(r => r.ErrorMessage).ToList();
            if (errors.Count > 0)
            {
                throw new MigrationException(
                    MigrationErrorKind.InvalidInput,
                    $"Migration {migration} is invalid ({expression.GetType().Name}): {string.Join(" ", errors)}");
            }

            try
            {
                expression.ExecuteWith(processor);
            }
            catch (Exception ex) when (ex is not (DynamicMigrationException or MigrationException))
            {
                throw new MigrationCodeException(migration, $"{where} ({expression.GetType().Name.Replace("Expression", "", StringComparison.Ordinal)})", ex);
            }
        }

        var steps = processor.Steps.ToArray();
        if (cache is not null && steps.All(step => step is ScriptStep.Sql) && !expressions.Any(e => e is ExecuteSqlScriptExpression))
        {
            cache.Add(migration, direction, steps.Select(step => ((ScriptStep.Sql)step).Statement).ToArray());
        }

        return new MigrationScript(migration, direction, steps)
        {
            LiveSchemaAnswers = schema is LiveSchema live ? live.Answers.ToArray() : [],
        };
    }

    /// <summary>
    /// The checksum of a migration's Up script; null when it cannot be known ahead (its SQL depends on the live schema,
    /// or its code no longer runs): such a migration cannot be checked for edits.
    /// </summary>
    public string? TryChecksum(KnownMigration migration)
    {
        try
        {
            return Script(migration, MigrationDirection.Up).Checksum;
        }
        catch (Exception ex) when (ex is DynamicMigrationException or MigrationException)
        {
            return null;
        }
    }

    /// <summary>
    /// How a migration can be reverted: from SQL known ahead (kept with its history row, so that it can be reverted once
    /// its code is gone, after a branch switch), only by its code (its Down() runs C# or asks the live schema), or not at
    /// all (it derives from <see cref="ForwardOnlyMigration"/>, its Down() throws, or does nothing while its Up() does something).
    /// </summary>
    public Reversal Reversal(KnownMigration migration)
    {
        if (typeof(ForwardOnlyMigration).IsAssignableFrom(migration.Type))
        {
            return new Reversal.Irreversible("it derives from ForwardOnlyMigration");
        }

        try
        {
            var steps = Script(migration, MigrationDirection.Down).Steps;
            if (steps.Any(s => s is ScriptStep.Code))
            {
                return new Reversal.CodeOnly("its Down() runs C#");
            }

            return steps.Count == 0 && !UpDoesNothing(migration)
                ? new Reversal.EmptyDown()
                : new Reversal.Sql(string.Join(";\n", steps.Select(s => s.Text.Trim().TrimEnd(';'))));
        }
        catch (DynamicMigrationException)
        {
            return new Reversal.CodeOnly("its Down() asks the live schema");
        }
        catch (MigrationCodeException ex)
        {
            return new Reversal.Irreversible($"{ex.Where} throws {MigrationCodeException.Describe(ex.InnerException!)}");
        }
        catch (MigrationException ex)
        {
            return new Reversal.Irreversible(ex.Message);
        }
    }

    private bool UpDoesNothing(KnownMigration migration)
    {
        try
        {
            return Script(migration, MigrationDirection.Up).Steps.Count == 0;
        }
        catch (Exception ex) when (ex is DynamicMigrationException or MigrationException)
        {
            return false;
        }
    }

    /// <summary>
    /// What FluentMigrator's runner gives a migration of this assembly: <c>Execute.Script("x.sql")</c> relative to the
    /// assembly's folder (where <c>CopyToOutputDirectory</c> puts scripts), and <c>Execute.EmbeddedScript</c> from its resources.
    /// </summary>
    private static (IConventionSet, IServiceProvider) For(Assembly assembly) =>
        (new DefaultConventionSet(defaultSchemaName: null, workingDirectory: Path.GetDirectoryName(assembly.Location) is { Length: > 0 } folder ? folder : null),
         new MigrationServices(assembly));

    private sealed class MigrationServices(Assembly assembly) : IServiceProvider
    {
        private readonly IEnumerable<IEmbeddedResourceProvider> _resources = [new DefaultEmbeddedResourceProvider(assembly)];

        public object? GetService(Type serviceType) =>
            serviceType == typeof(IEnumerable<IEmbeddedResourceProvider>) ? _resources : null;
    }
}

/// <summary>How an applied migration can be undone.</summary>
public abstract record Reversal
{
    /// <summary>Its Down() as SQL known ahead (empty when both its Up() and Down() do nothing): kept with its history row.</summary>
    public sealed record Sql(string Text) : Reversal;

    /// <summary>Only its code can revert it (<paramref name="Reason"/>); nothing is kept.</summary>
    public sealed record CodeOnly(string Reason) : Reversal;

    /// <summary>Nothing can revert it (<paramref name="Reason"/>): a downgrade refuses before it changes anything.</summary>
    public record Irreversible(string Reason) : Reversal;

    /// <summary>Its Down() does nothing while its Up() does something: irreversible, most likely by mistake (lint says so).</summary>
    public sealed record EmptyDown() : Irreversible("its Down() does nothing");

    public string? StoredSql => this is Sql sql ? sql.Text : null;

    public string? IrreversibleReason => this is Irreversible irreversible ? irreversible.Reason : null;
}
