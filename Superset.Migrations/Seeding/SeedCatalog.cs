using Superset.Migrations.Engine;

namespace Superset.Migrations.Seeding;

/// <summary>The development seeds of a migration source's assembly, by dataset, in name order.</summary>
public sealed class SeedCatalog
{
    public const string DefaultDataset = "default";

    private SeedCatalog(IReadOnlyList<DevelopmentSeed> seeds) => Seeds = seeds;

    public IReadOnlyList<DevelopmentSeed> Seeds { get; }

    public IReadOnlyList<string> Datasets => Seeds.Select(s => s.Dataset).Append(DefaultDataset).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    public IReadOnlyList<DevelopmentSeed> In(string dataset) => Seeds.Where(s => s.Dataset == dataset).ToArray();

    /// <summary>Refuses a dataset nobody defined (exit 2), naming those there are.</summary>
    public void Require(string dataset)
    {
        if (!Datasets.Contains(dataset, StringComparer.Ordinal))
        {
            throw new MigrationException(MigrationErrorKind.InvalidInput, $"No seed dataset '{dataset}': the datasets are {string.Join(", ", Datasets)}.");
        }
    }

    /// <summary>The seeds beside the source's migrations (non-abstract <see cref="DevelopmentSeed"/>s with a parameterless constructor).</summary>
    public static SeedCatalog Of(MigrationSource source)
    {
        var seeds = source.Types
            .Where(t => !t.IsAbstract && typeof(DevelopmentSeed).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (DevelopmentSeed)Activator.CreateInstance(t)!)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToArray();
        var twice = seeds.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null
            ? new SeedCatalog(seeds)
            : throw new InvalidMigrationSetException($"Two development seeds are named '{twice.Key}': {string.Join(" and ", twice.Select(s => s.GetType().FullName))}. Rename one.");
    }
}
