using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Superset.Bench.Workload;

/// <summary>Compiles generated migrations into an assembly on disk, as a build of a migrations project would.</summary>
internal static class WorkloadCompiler
{
    public static string Compile(string source, string directory, string name)
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = trusted
            .Concat([typeof(FluentMigrator.Migration).Assembly.Location, typeof(FluentMigrator.IMigration).Assembly.Location,
                typeof(Superset.Migrations.Schema.TableAttribute).Assembly.Location])
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
        var usings = "global using System; global using System.Collections.Generic; global using System.Linq;";
        var compilation = CSharpCompilation.Create(name,
            [CSharpSyntaxTree.ParseText(source), CSharpSyntaxTree.ParseText(usings)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));

        Directory.CreateDirectory(directory);
        // The source beside the assembly, to read what was measured.
        File.WriteAllText(Path.Combine(directory, name + ".cs"), source);
        var path = Path.Combine(directory, name + ".dll");
        var result = compilation.Emit(path);
        if (!result.Success)
        {
            throw new InvalidOperationException("The generated code does not compile:\n" +
                string.Join('\n', result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10)));
        }

        return path;
    }
}
