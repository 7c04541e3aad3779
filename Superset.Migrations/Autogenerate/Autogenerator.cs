using Superset.Migrations.Schema;

namespace Superset.Migrations.Autogenerate;

/// <summary>A generated migration: the changes, their code for Up() and the exact reverse for Down().</summary>
public sealed record GeneratedMigration(SchemaDiff Diff, IReadOnlyList<string> Up, IReadOnlyList<string> Down)
{
    public bool IsEmpty => Diff.IsEmpty;

    /// <summary>The warnings of the Up changes, for the console.</summary>
    public IReadOnlyList<string> Warnings => Diff.Changes.Select(c => c.Warning).OfType<string>().ToArray();

    /// <summary>The error-level lint rules the changes trip: 'lint' and 'check' will fail on the migration until it changes or allows them.</summary>
    public IReadOnlyList<Lint.LintRule> ErrorRules =>
        Diff.Changes.SelectMany(c => c.Risks).Select(r => r.Rule).Where(r => r.Severity == Lint.LintSeverity.Error).Distinct().ToArray();
}

/// <summary>Writes the migration that takes the schema the migrations produce to the schema the models describe.</summary>
public static class Autogenerator
{
    public static GeneratedMigration Generate(DatabaseSchema migrated, DatabaseSchema models)
    {
        var diff = SchemaDiffer.Compare(migrated, models);
        return new GeneratedMigration(diff, FluentCodeWriter.Write(diff.Changes), FluentCodeWriter.Write(diff.Reverse()));
    }
}
