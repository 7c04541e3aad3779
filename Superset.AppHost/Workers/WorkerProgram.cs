using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Superset.AppHost.Workers;

/// <summary>
/// The migration worker as the AppHost's build left it. The backup step and the migration worker are short-lived
/// runs of it on every F5; DCP starts a project resource through <c>dotnet run</c>, whose MSBuild evaluation cost about
/// a second per start (measured by bench/run.sh), so in run mode they start the built program directly. Publishing
/// always uses the project (a deployment builds its image), and so does <c>Workers:RunAsProjects=true</c>, for
/// debugging the worker from an IDE that attaches to project resources.
/// </summary>
internal sealed record WorkerProgram(string Assembly, string WorkingDirectory)
{
    public static string ProjectPath => new Projects.Superset_MigrationWorker().ProjectPath;

    public static WorkerProgram? Find(IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode
            || builder.Configuration.Flag("Workers:RunAsProjects", defaultValue: false))
        {
            return null;
        }

        return BuiltAssembly() is { } assembly ? new WorkerProgram(assembly, Path.GetDirectoryName(ProjectPath)!) : null;
    }

    /// <summary>The configuration the AppHost was built in, which its build used for the worker too.</summary>
    public static string Configuration =>
        typeof(WorkerProgram).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>
    /// Runs the worker's command line (what <c>manage_migrations.sh</c> runs) to its end: the program as the AppHost built
    /// it (same configuration), else <c>dotnet run</c>, which builds it. The dashboard's commands and a test's template use it.
    /// </summary>
    public static Task<Superset.Migrations.Tools.ToolResult> RunCommandLineAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        string[] prefix = BuiltAssembly() is { } assembly
            ? [assembly]
            : ["run", "--project", ProjectPath, "--configuration", Configuration, "--no-launch-profile", "--"];
        return Superset.Migrations.Tools.ToolRunner.RunAsync("dotnet", [.. prefix, .. arguments], environment, Path.GetDirectoryName(ProjectPath), cancellationToken);
    }

    /// <summary>The worker's assembly from the AppHost's build; null when it is not there.</summary>
    public static string? BuiltAssembly()
    {
        var assembly = Path.Combine(Path.GetDirectoryName(ProjectPath)!, "bin", Configuration, "net10.0", Path.GetFileNameWithoutExtension(ProjectPath) + ".dll");
        return File.Exists(assembly) ? assembly : null;
    }
}

/// <summary>How a run of the worker program is set up, whichever kind of resource runs it (an executable or the project).</summary>
internal interface IWorkerRunSetup
{
    void Configure<T>(IResourceBuilder<T> worker) where T : class, IResourceWithEnvironment, IResourceWithWaitSupport;
}

internal static class WorkerProgramExtensions
{
    /// <summary>
    /// Adds a run of the migration worker named <paramref name="name"/>, set up by <paramref name="setup"/>: the built
    /// program in run mode, the project otherwise (see <see cref="WorkerProgram"/>).
    /// </summary>
    public static IResourceBuilder<IResource> AddMigrationWorkerRun(this IDistributedApplicationBuilder builder, string name, IWorkerRunSetup setup)
    {
        if (WorkerProgram.Find(builder) is { } program)
        {
            var executable = builder.AddExecutable(name, "dotnet", program.WorkingDirectory, program.Assembly)
                .WithEnvironment("DOTNET_ENVIRONMENT", builder.Environment.EnvironmentName)
                .WithOtlpExporter();
            setup.Configure(executable);
            return executable;
        }

        var project = builder.AddProject<Projects.Superset_MigrationWorker>(name);
        if (builder.ExecutionContext.IsRunMode)
        {
            // The worker has no launch profile to say it: a branch switch is reverted in Development only.
            project.WithEnvironment("DOTNET_ENVIRONMENT", builder.Environment.EnvironmentName);
        }

        setup.Configure(project);
        return project;
    }

    /// <summary>Sets a worker setting by its configuration key (<c>Migrations:Backup</c> is <c>Migrations__Backup</c>).</summary>
    public static IResourceBuilder<T> WithSetting<T>(this IResourceBuilder<T> worker, string key, string value) where T : IResourceWithEnvironment =>
        worker.WithEnvironment(Superset.Migrations.Settings.SettingsReader.Variable(key), value);
}
