using System.Reflection;
using FluentMigrator;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Infrastructure;

namespace Superset.Migrations.Engine;

/// <summary>
/// The migrations the code knows, found in an assembly the way FluentMigrator's runner finds them: versioned migrations
/// (<c>[Migration]</c>) ordered by version, maintenance migrations (<c>[Maintenance]</c>) by stage, and profiles
/// (<c>[Profile]</c>), narrowed by a <see cref="MigrationFilter"/> (tags, profile).
/// </summary>
public sealed class MigrationSource
{
    private static readonly Lazy<MigrationSource> AppSource = new(() => FromAssembly(typeof(MigrationSource).Assembly));

    private readonly IReadOnlyList<Type> _types;
    private readonly Dictionary<long, KnownMigration> _byVersion;

    private MigrationSource(IReadOnlyList<Type> types, string origin, MigrationFilter filter)
    {
        _types = types;
        Origin = origin;
        Filter = filter;

        var conventions = DefaultMigrationRunnerConventions.Instance;
        var tags = filter.Tags.ToArray();
        var all = new List<KnownMigration>();
        var maintenance = new List<KnownMigration>();
        var profiles = new List<KnownMigration>();
        foreach (var type in types)
        {
            if (type.IsAbstract || type.IsGenericTypeDefinition || !typeof(IMigration).IsAssignableFrom(type))
            {
                continue;
            }

            if (type.GetCustomAttribute<MigrationAttribute>(inherit: false) is { } migration)
            {
                all.Add(new KnownMigration(
                    migration.Version,
                    string.IsNullOrWhiteSpace(migration.Description) ? type.Name : migration.Description,
                    type,
                    Transactional: migration.TransactionBehavior != TransactionBehavior.None)
                {
                    BreakingChange = migration.BreakingChange,
                });
            }
            else if (type.GetCustomAttribute<MaintenanceAttribute>() is { } stage)
            {
                if (conventions.HasRequestedTags(type, tags, includeUntagged: true))
                {
                    maintenance.Add(new KnownMigration(0, type.Name, type, stage.TransactionBehavior != TransactionBehavior.None)
                    {
                        Role = MigrationRole.Maintenance,
                        Stage = stage.Stage,
                    });
                }
            }
            else if (type.GetCustomAttribute<ProfileAttribute>() is { } profile)
            {
                // FluentMigrator compares profile names exactly.
                if (filter.Profile is { Length: > 0 } selected && string.Equals(profile.ProfileName, selected, StringComparison.Ordinal))
                {
                    profiles.Add(new KnownMigration(0, profile.ProfileName, type, Transactional: true) { Role = MigrationRole.Profile });
                }
            }
        }

        all.Sort((a, b) => a.Version.CompareTo(b.Version));
        _byVersion = new Dictionary<long, KnownMigration>(all.Count);
        foreach (var migration in all)
        {
            if (!_byVersion.TryAdd(migration.Version, migration))
            {
                var other = _byVersion[migration.Version];
                throw new InvalidMigrationSetException(
                    $"Two migrations have version {migration.Version}: {other.Type.FullName} and {migration.Type.FullName}. Give one of them a new version.");
            }
        }

        All = all;
        Migrations = all.Where(m => conventions.HasRequestedTags(m.Type, tags, includeUntagged: true)).ToArray();
        // FluentMigrator runs a stage's maintenance migrations in the order of their class names.
        Maintenance = maintenance.OrderBy(m => m.Type.Name, StringComparer.Ordinal).ToArray();
        Profiles = profiles;
    }

    /// <summary>
    /// The application's own migrations (the <c>Migrations</c> folder of this library). Read on first use, so that a
    /// broken set (two migrations with one version) is reported where it is used, with its own message.
    /// </summary>
    public static MigrationSource App => AppSource.Value;

    /// <summary>Every type the source was made from: where its development seeds are found too (<see cref="Seeding.SeedCatalog"/>).</summary>
    internal IReadOnlyList<Type> Types => _types;

    /// <summary>The files of the assemblies the migrations were loaded from (none for types made in memory).</summary>
    public IReadOnlyList<string> AssemblyFiles => _types.Select(t => t.Assembly).Distinct()
        .Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => a.Location).ToList();

    /// <summary>Where the migrations came from, for messages (an assembly name).</summary>
    public string Origin { get; }

    public MigrationFilter Filter { get; }

    /// <summary>The versioned migrations the filter selects, by version: what is applied, pending or reverted.</summary>
    public IReadOnlyList<KnownMigration> Migrations { get; }

    /// <summary>Every versioned migration of the code, the ones the filter leaves out included.</summary>
    public IReadOnlyList<KnownMigration> All { get; }

    /// <summary>The maintenance migrations the filter selects, in the order a stage runs them.</summary>
    public IReadOnlyList<KnownMigration> Maintenance { get; }

    /// <summary>The migrations of the selected profile.</summary>
    public IReadOnlyList<KnownMigration> Profiles { get; }

    /// <summary>Whether an upgrade runs anything besides pending migrations (maintenance, a profile): it then always runs.</summary>
    public bool RunsOnEveryUpgrade => Maintenance.Count > 0 || Profiles.Count > 0;

    public KnownMigration? Head => Migrations.Count == 0 ? null : Migrations[^1];

    /// <summary>A versioned migration of the code, whether the filter selects it or not (an applied one can always be reverted).</summary>
    public KnownMigration? Find(long version) => _byVersion.GetValueOrDefault(version);

    public IEnumerable<KnownMigration> MaintenanceAt(MigrationStage stage) => Maintenance.Where(m => m.Stage == stage);

    /// <summary>The same code with another filter.</summary>
    public MigrationSource WithFilter(MigrationFilter filter) => filter == Filter ? this : new MigrationSource(_types, Origin, filter);

    /// <summary>The same source restricted to some versions (those applied to a database, say), with its maintenance but no profile.</summary>
    public MigrationSource Only(IEnumerable<long> versions)
    {
        var wanted = versions.ToHashSet();
        var types = Migrations.Where(m => wanted.Contains(m.Version)).Concat(Maintenance).Select(m => m.Type).ToArray();
        return new MigrationSource(types, Origin, Filter with { Profile = null });
    }

    public static MigrationSource FromAssembly(Assembly assembly, MigrationFilter? filter = null) =>
        new(GetLoadableTypes(assembly), assembly.GetName().Name ?? assembly.FullName ?? "assembly", filter ?? MigrationFilter.None);

    public static MigrationSource FromTypes(IEnumerable<Type> types, string origin = "types", MigrationFilter? filter = null) =>
        new(types.ToArray(), origin, filter ?? MigrationFilter.None);

    private static Type[] GetLoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>().ToArray();
        }
    }
}
