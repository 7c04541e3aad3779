using System.Text.Json;
using Superset.AppHost.Workers;
using Superset.Migrations.Settings;
using Superset.Migrations.Tools;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>The command line as the script runs it, on a test's state directory (its "checkout"), with no database setting.</summary>
internal static class CheckoutCommandLine
{
    /// <summary>Runs it and returns its --json output; fails the test when it does not exit 0.</summary>
    public static async Task<JsonElement> JsonAsync(string stateDirectory, params string[] arguments)
    {
        var result = await ToolRunner.RunAsync("dotnet", [WorkerProgram.BuiltAssembly()!, .. arguments],
            new Dictionary<string, string?> { [SettingsReader.Variable(PostgresSettings.Keys.DataDirectory)] = stateDirectory },
            TestPaths.RepositoryRoot);
        Assert.True(result.Succeeded, $"{string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        return JsonDocument.Parse(result.StandardOutput).RootElement;
    }
}
