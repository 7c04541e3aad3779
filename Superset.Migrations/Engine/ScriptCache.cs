using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Superset.Migrations.Engine;

/// <summary>
/// The SQL of each migration, scripted once per build instead of at every run: loading FluentMigrator's expressions
/// and generator for 500 migrations, up and down, was most of a short command's time. A file per migrations assembly,
/// named after its identity (its MVID, which changes with every compile), this code's and FluentMigrator's: an edited
/// migration is a new assembly, so its checksum always follows the code, never a stale file. Only a script of plain SQL
/// known ahead is kept: one that runs C#, asks the live schema, fails, or reads a script file from disk
/// (<c>Execute.Script</c>, which can change without the assembly) is scripted every time, as before.
/// </summary>
internal sealed class ScriptCache
{
    /// <summary><c>SUPERSET_SCRIPT_CACHE=off</c> turns it off (to compare, or on a read-only disk).</summary>
    public const string Variable = "SUPERSET_SCRIPT_CACHE";

    private static readonly ConcurrentDictionary<Assembly, ScriptCache> ByAssembly = new();

    private readonly string? _path;
    private readonly ConcurrentDictionary<string, string[]> _scripts;
    private int _dirty;

    private ScriptCache(string? path, ConcurrentDictionary<string, string[]> scripts)
    {
        _path = path;
        _scripts = scripts;
    }

    static ScriptCache() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var cache in ByAssembly.Values)
        {
            cache.Save();
        }
    };

    public static ScriptCache For(Assembly assembly) => ByAssembly.GetOrAdd(assembly, Load);

    public bool TryGet(KnownMigration migration, FluentMigrator.MigrationDirection direction, out string[] statements) =>
        _scripts.TryGetValue(Key(migration, direction), out statements!);

    public void Add(KnownMigration migration, FluentMigrator.MigrationDirection direction, string[] statements)
    {
        if (_path is not null && _scripts.TryAdd(Key(migration, direction), statements))
        {
            Interlocked.Exchange(ref _dirty, 1);
        }
    }

    /// <summary>Writes what was added (a whole new file, renamed into place: a reader never sees half of one).</summary>
    public void Save()
    {
        if (_path is null || Interlocked.Exchange(ref _dirty, 0) == 0)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temporary = $"{_path}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string[]>(_scripts), ScriptCacheJson.Default.DictionaryStringStringArray));
            File.Move(temporary, _path, overwrite: true);
            Tools.CacheFiles.RemoveOld(Path.GetDirectoryName(_path)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cache: the next run scripts again.
        }
    }

    private static string Key(KnownMigration migration, FluentMigrator.MigrationDirection direction) =>
        $"{migration.Type.FullName}:{migration.Version}:{(direction == FluentMigrator.MigrationDirection.Up ? 'u' : 'd')}";

    private static ScriptCache Load(Assembly assembly)
    {
        if (Environment.GetEnvironmentVariable(Variable) is "off" || assembly.IsDynamic || string.IsNullOrEmpty(assembly.Location))
        {
            return new ScriptCache(null, new ConcurrentDictionary<string, string[]>());
        }

        var identity = string.Join('-', assembly.ManifestModule.ModuleVersionId.ToString("N"),
            typeof(ScriptCache).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..8],
            typeof(FluentMigrator.Migration).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..8]);
        var path = Path.Combine(Folder(), $"{assembly.GetName().Name}-{identity}.json");
        try
        {
            var scripts = File.Exists(path)
                ? JsonSerializer.Deserialize(File.ReadAllBytes(path), ScriptCacheJson.Default.DictionaryStringStringArray)
                : null;
            return new ScriptCache(path, new ConcurrentDictionary<string, string[]>(scripts ?? []));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return new ScriptCache(path, new ConcurrentDictionary<string, string[]>());
        }
    }

    /// <summary>The cache's <c>scripts</c> folder (<see cref="Tools.CacheFiles.Folder"/>), else the user profile's or the temp folder's.</summary>
    private static string Folder() =>
        Tools.CacheFiles.Folder("scripts", Environment.GetEnvironmentVariable)
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } profile ? Path.Combine(profile, ".cache") : Path.GetTempPath(),
            "superset-migrations", "scripts");
}

[JsonSerializable(typeof(Dictionary<string, string[]>))]
internal sealed partial class ScriptCacheJson : JsonSerializerContext;
