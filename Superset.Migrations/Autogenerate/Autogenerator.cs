using Superset.Migrations.Schema;

namespace Superset.Migrations.Autogenerate;

/// <summary>A generated migration: the changes, their code for Up() and the exact reverse for Down().</summary>
public sealed record GeneratedMigration(SchemaDiff Diff, IReadOnlyList<string> Up, IReadOnlyList<string> Down)
{
    public bool IsEmpty => Diff.IsEmpty;

    /// <summary>The warnings of the Up changes, for the console.</summary>
    public IReadOnlyList<string> Warnings => Diff.Changes.Select(c => c.Warning).OfType<string>().ToArray();
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
