using System.Reflection;
using FluentMigrator;

namespace Superset.Migrations.Engine;

/// <summary>The migrations the code knows, ordered by version.</summary>
public sealed class MigrationSource
{
    private readonly Dictionary<long, KnownMigration> _byVersion;

    private MigrationSource(IReadOnlyList<KnownMigration> migrations, string origin)
    {
        Migrations = migrations;
        Origin = origin;
        _byVersion = new Dictionary<long, KnownMigration>(migrations.Count);
        foreach (var migration in migrations)
        {
            if (!_byVersion.TryAdd(migration.Version, migration))
            {
                var other = _byVersion[migration.Version];
                throw new InvalidMigrationSetException(
                    $"Two migrations have version {migration.Version}: {other.Type.Name} and {migration.Type.Name}. Give one of them a new version.");
            }
        }
    }

    /// <summary>The application's own migrations (the <c>Migrations</c> folder of this library).</summary>
    public static MigrationSource App { get; } = FromAssembly(typeof(MigrationSource).Assembly);

    /// <summary>Where the migrations came from, for messages (an assembly name).</summary>
    public string Origin { get; }

    public IReadOnlyList<KnownMigration> Migrations { get; }

    public KnownMigration? Head => Migrations.Count == 0 ? null : Migrations[^1];

    public KnownMigration? Find(long version) => _byVersion.GetValueOrDefault(version);

    /// <summary>The same source restricted to some versions (those applied to a database, say).</summary>
    public MigrationSource Only(IEnumerable<long> versions)
    {
        var wanted = versions.ToHashSet();
        return new MigrationSource(Migrations.Where(m => wanted.Contains(m.Version)).ToArray(), Origin);
    }

    public static MigrationSource FromAssembly(Assembly assembly) =>
        FromTypes(GetLoadableTypes(assembly), assembly.GetName().Name ?? assembly.FullName ?? "assembly");

    public static MigrationSource FromTypes(IEnumerable<Type> types, string origin = "types")
    {
        var migrations = new List<KnownMigration>();
        foreach (var type in types)
        {
            if (type.IsAbstract || !typeof(IMigration).IsAssignableFrom(type))
            {
                continue;
            }

            var attribute = type.GetCustomAttribute<MigrationAttribute>(inherit: false);
            if (attribute is null)
            {
                continue;
            }

            migrations.Add(new KnownMigration(
                attribute.Version,
                string.IsNullOrWhiteSpace(attribute.Description) ? type.Name : attribute.Description,
                type,
                Transactional: attribute.TransactionBehavior != TransactionBehavior.None));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        return new MigrationSource(migrations, origin);
    }

    private static IEnumerable<Type> GetLoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.Where(t => t is not null)!;
        }
    }
}
