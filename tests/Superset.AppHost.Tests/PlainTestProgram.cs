using System.Diagnostics;
using System.Text.Json;
using Superset.AppHost.Workers;
using Superset.Migrations.Settings;
using Superset.Migrations.Tools;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>
/// tests/Superset.AppHost.PlainTest: README's minimal test (<c>CreateAsync</c>, <c>BuildAsync</c>, <c>StartAsync</c>, no
/// arguments) as a process of its own, so that a test can look at what it left after it exited, or kill it half-way.
/// Its "checkout" is a state directory of the test's (<c>Postgres__DataDirectory</c>, as a checkout's <c>.data/postgres</c>).
/// </summary>
public static class PlainTestProgram
{
    private static readonly string Assembly = Path.Combine(TestPaths.RepositoryRoot, "tests", "Superset.AppHost.PlainTest", "bin",
        WorkerProgram.Configuration, "net10.0", "Superset.AppHost.PlainTest.dll");

    /// <summary>What the plain test saw (its last line), and everything it printed (the AppHost's log).</summary>
    public sealed record Run(ToolResult Result, JsonElement Saw)
    {
        public string Database => Saw.GetProperty("database").GetString()!;

        public string Posts => Saw.GetProperty("posts").GetString()!;
    }

    /// <param name="mode">Postgres:Mode as the user's machine would choose it: local here unless a test says otherwise
    /// (with an engine running, auto chooses the container, which ContainerModeTests covers).</param>
    public static async Task<Run> RunAsync(string stateDirectory, string mode = "local")
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var environment = Environment(stateDirectory);
        environment[SettingsReader.Variable(PostgresSettings.Keys.Mode)] = mode;
        var result = await ToolRunner.RunAsync("dotnet", [Assembly], environment, Path.GetDirectoryName(Assembly), timeout.Token);
        Assert.True(result.Succeeded, $"the plain test exited {result.ExitCode}: {result.StandardError}\n{result.StandardOutput}");
        var last = result.StandardOutput.TrimEnd().Split('\n')[^1];
        return new Run(result, JsonDocument.Parse(last).RootElement);
    }

    /// <summary>Starts the plain test and kills it (SIGKILL: no exit handler runs) once its AppHost has made its database; returns that database.</summary>
    public static async Task<string> KillOnceItsDatabaseExistsAsync(string stateDirectory)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(Assembly)! };
        start.ArgumentList.Add(Assembly);
        foreach (var (name, value) in Environment(stateDirectory))
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.IndexOf("Created database " + "superset_test_", StringComparison.Ordinal) is var at and >= 0)
                {
                    return line[(at + "Created database ".Length)..].Split(' ')[0];
                }
            }

            throw new InvalidOperationException($"The plain test exited ({process.ExitCode}) before it made its database.");
        }
        finally
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static Dictionary<string, string?> Environment(string stateDirectory) => new()
    {
        [SettingsReader.Variable(PostgresSettings.Keys.DataDirectory)] = stateDirectory,
        [SettingsReader.Variable(PostgresSettings.Keys.Mode)] = "local",
    };
}
