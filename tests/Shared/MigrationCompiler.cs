using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Superset.Tests.Shared;

/// <summary>
/// Compiles migration source into an assembly on disk, as a build would: what lets a test add, edit or generate
/// migrations and hand them to the real command line with <c>--migrations-assembly</c>.
/// </summary>
public static class MigrationCompiler
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var ours = new[]
        {
            typeof(FluentMigrator.Migration).Assembly.Location,
            typeof(FluentMigrator.IMigration).Assembly.Location,
            typeof(Superset.Migrations.Schema.TableAttribute).Assembly.Location,
            typeof(System.Data.IDbConnection).Assembly.Location,
        };
        return trusted.Concat(ours).Distinct().Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToArray();
    });

    /// <summary>What the SDK's ImplicitUsings adds to every project, so that sources compile here as in a build.</summary>
    private const string ImplicitUsings =
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
        "global using System.Threading; global using System.Threading.Tasks;";

    /// <summary>Compiles <paramref name="sources"/> into a new assembly in <paramref name="directory"/>; returns its path.</summary>
    /// <param name="resources">Embedded resources by manifest name (what <c>Execute.EmbeddedScript</c> reads).</param>
    public static string Compile(string directory, IEnumerable<string> sources, IReadOnlyDictionary<string, string>? resources = null)
    {
        var name = $"Migrations_{Guid.NewGuid():N}";
        var compilation = CSharpCompilation.Create(
            name,
            sources.Append(ImplicitUsings).Select(source => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".dll");
        var manifest = (resources ?? new Dictionary<string, string>()).Select(resource =>
            new ResourceDescription(resource.Key, () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(resource.Value)), isPublic: true));
        var result = compilation.Emit(path, manifestResources: manifest);
        if (!result.Success)
        {
            File.Delete(path);
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString());
            throw new InvalidOperationException("The migrations do not compile:\n" + string.Join('\n', errors));
        }

        return path;
    }

    public static Assembly CompileAndLoad(string directory, IEnumerable<string> sources) => Assembly.LoadFrom(Compile(directory, sources));

    /// <summary>The app's model classes as one compilable source (their usings gathered at the top).</summary>
    public static IEnumerable<string> AppModelSources()
    {
        var files = Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "Superset.Migrations", "Models"), "*.cs").Order().Select(File.ReadAllLines).ToArray();
        var usings = files.SelectMany(lines => lines.Where(l => l.StartsWith("using ", StringComparison.Ordinal))).Distinct();
        var bodies = files.Select(lines => string.Join('\n', lines.Where(l => !l.StartsWith("using ", StringComparison.Ordinal) && !l.StartsWith("namespace ", StringComparison.Ordinal))));
        yield return string.Join('\n', usings) + "\nnamespace Models;\n" + string.Join('\n', bodies);
    }

    /// <summary>The source files of the app's own migrations, as the checkout has them.</summary>
    public static IEnumerable<string> AppMigrationSources() =>
        Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "Superset.Migrations", "Migrations"), "*.cs").Select(File.ReadAllText);
}
