using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>
/// The AppHost as F5 starts it: its built program with the http launch profile's environment (fixed dashboard and web
/// ports), as a process of its own, stopped with SIGTERM. For what the testing builder hides: two checkouts' stacks
/// competing for the same ports.
/// </summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppHostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The web app's address: the launch profile's, or the checkout's own when another stack held that port.</summary>
    public Uri WebAddress =>
        new($"http://localhost:{(WebPortLine().Match(Output) is { Success: true } moved ? moved.Groups[1].Value : "5080")}");

    /// <summary>The AppHost's built program.</summary>
    public static string Assembly() => Path.Combine(ProjectFolder(), "bin", Workers.WorkerProgram.Configuration, "net10.0", "Superset.AppHost.dll");

    // The AppHost's metadata names its folder, not its project file.
    private static string ProjectFolder() =>
        Directory.Exists(Projects.Superset_AppHost.ProjectPath) ? Projects.Superset_AppHost.ProjectPath : Path.GetDirectoryName(Projects.Superset_AppHost.ProjectPath)!;

    public static AppHostProcess Start(string stateDirectory, params string[] arguments)
    {
        var folder = ProjectFolder();
        var appHost = Assembly();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(appHost)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { appHost, "--Postgres:Mode=local", $"--Postgres:DataDirectory={stateDirectory}",
                     "--Postgres:Lifetime=session", $"--Backup:Directory={Path.Combine(stateDirectory, "backups")}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        HttpLaunchProfile.ApplyTo(start, folder);
        return new AppHostProcess(Process.Start(start)!);
    }

    /// <summary>Waits until the web app answers /health with 200; throws with the AppHost's output when it does not.</summary>
    public async Task WaitForHealthyWebAsync(TimeSpan within)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            // Its ports are settled once it prints the dashboard's address; until then 5080 may be another stack's.
            if (!Output.Contains("Login to the dashboard at", StringComparison.Ordinal))
            {
                await Task.Delay(100);
                continue;
            }

            try
            {
                using var response = await http.GetAsync(new Uri(WebAddress, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not up yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The web app at {WebAddress} did not get healthy within {within.TotalSeconds:0} s{(_process.HasExited ? $" (the AppHost exited with {_process.ExitCode})" : "")}:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Background processes ignore SIGINT: SIGTERM is how an AppHost is stopped from outside a terminal.
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(timeout.Token);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"the web app of this checkout uses port (\d+) instead")]
    private static partial Regex WebPortLine();
}
