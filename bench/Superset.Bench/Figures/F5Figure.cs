using System.Diagnostics;
using System.Globalization;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Tools;
using Superset.Tests.Shared;

namespace Superset.Bench.Figures;

/// <summary>
/// Figure 3: F5, from starting the AppHost (the http launch profile, Release build) to the web app answering
/// <c>/health</c> with 200: cold (no data directory: initdb, three migrations, no backup of an empty database), warm
/// (nothing pending, the server running since the last F5), and warm with the backup and migration steps switched
/// off, which is what the steps cost; then warm with <c>Postgres:Lifetime=session</c> (the server started and stopped
/// with each F5) against the persistent server. Beside them, a user's plainest AppHost test (tests/Superset.AppHost.PlainTest,
/// Release) on the same checkout, warm: from <c>CreateAsync</c> to the web app's <c>/health</c>, in a database of its own.
/// </summary>
internal static class F5Figure
{
    private static readonly Uri WebHealth = new("http://localhost:5080/health");

    public static async Task RunAsync(BenchContext context)
    {
        var appHost = Path.Combine(context.RepositoryRoot, "Superset.AppHost", "bin", "Release", "net10.0", "Superset.AppHost.dll");
        var cold = new Timings("F5 cold");
        var warm = new Timings("F5 warm");
        var off = new Timings("F5 warm, steps off");
        var session = new Timings("F5 warm, Lifetime=session");
        var stop = new Timings("stop");
        var test = new Timings("test AppHost, warm");
        var testStop = new Timings("test AppHost stop");
        var containerCold = new Timings("F5 cold, container mode");
        var containerWarm = new Timings("F5 warm, container mode");
        var containerTest = new Timings("test AppHost, container mode");
        for (var run = 0; run < context.Runs; run++)
        {
            var state = Path.Combine(context.WorkDirectory, $"f5-{run}");
            var port = 56000 + run;
            try
            {
                cold.Add(await StartToHealthyAsync(appHost, state, port, stop));
                warm.Add(await StartToHealthyAsync(appHost, state, port, stop));
                off.Add(await StartToHealthyAsync(appHost, state, port, stop, "--Migrations:Enabled=false", "--Backup:Enabled=false"));

                // A test on the same checkout, its server running: the first makes the tests' template, the next is timed.
                await PlainTestAsync(context, state);
                var (started, stopped) = await PlainTestAsync(context, state);
                test.Add(started);
                testStop.Add(stopped);

                // Today's behaviour before the persistent server: every F5 starts the server, and stops it at the end.
                await StopServerAsync(state);
                session.Add(await StartToHealthyAsync(appHost, state, port, stop, "--Postgres:Lifetime=session"));
            }
            finally
            {
                await StopServerAsync(state);
            }

            // Container mode, when an engine answers: a new volume (initdb in the container), then the running container.
            if ((await ToolRunner.RunAsync(ContainerEngine.Name, ["info"])).Succeeded)
            {
                var containerState = Path.Combine(context.WorkDirectory, $"f5-container-{run}");
                var container = CheckoutContainer.For(containerState, "");
                try
                {
                    string[] mode = ["--Postgres:Mode=container", "--Postgres:Lifetime=persistent"];
                    containerCold.Add(await StartToHealthyAsync(appHost, containerState, 56100 + run, stop, mode));
                    containerWarm.Add(await StartToHealthyAsync(appHost, containerState, 56100 + run, stop, mode));
                    containerTest.Add((await PlainTestAsync(context, containerState, "container")).Started);
                }
                finally
                {
                    await ToolRunner.RunAsync(ContainerEngine.Name, ["rm", "-f", container.Name]);
                    await ToolRunner.RunAsync(ContainerEngine.Name, ["volume", "rm", "-f", container.Volume]);
                }
            }
        }

        context.Results.Note(string.Create(CultureInfo.InvariantCulture, $"the AppHost stops (SIGTERM, every process gone) in {stop.Median:0.0} s (max {stop.Max:0.0})"));
        context.Results.Add(new Figure("3. F5 cold (initdb, 3 migrations)", cold, off, "reference", (_, _) => true));
        context.Results.Add(new Figure("3. F5 warm (nothing pending)", warm, off, "steps add ≤ 1.0 s", (o, b) => o.Median - b!.Median <= 1.0));
        context.Results.Add(new Figure("3. F5 warm, server running vs started by F5", warm, session, "faster than session", (o, b) => o.Median < b!.Median));
        context.Results.Add(new Figure("3. Test AppHost warm (CreateAsync→/health)", test, warm, "≤ 5.0 s", (o, _) => o.Median <= 5.0));
        if (containerWarm.Seconds.Count > 0)
        {
            context.Results.Add(new Figure("3. F5 cold, container mode (new volume)", containerCold, cold, "reference", (_, _) => true));
            context.Results.Add(new Figure("3. F5 warm, container mode (container running)", containerWarm, warm, "≤ 2x local warm", (o, b) => o.Median <= 2 * b!.Median));
            context.Results.Add(new Figure("3. Test AppHost, container mode (a container of its own)", containerTest, test, "≤ 2x local test AppHost", (o, b) => o.Median <= 2 * b!.Median));
        }
        context.Results.Note(string.Create(CultureInfo.InvariantCulture, $"a test's AppHost stops (StopAsync and DisposeAsync) in {testStop.Median:0.0} s (max {testStop.Max:0.0})"));
    }

    /// <summary>The plain test (README's minimal test) on a checkout's state directory: its own times, from its last line.</summary>
    /// <param name="mode">Postgres:Mode: pinned, since with an engine running auto would choose the container.</param>
    private static async Task<(double Started, double Stopped)> PlainTestAsync(BenchContext context, string state, string mode = "local")
    {
        var program = Path.Combine(context.RepositoryRoot, "tests", "Superset.AppHost.PlainTest", "bin", "Release", "net10.0", "Superset.AppHost.PlainTest.dll");
        var result = await ToolRunner.RunAsync("dotnet", [program],
            new Dictionary<string, string?> { ["Postgres__DataDirectory"] = state, ["Postgres__Mode"] = mode }, Path.GetDirectoryName(program));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"The plain test exited {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
        }

        using var saw = System.Text.Json.JsonDocument.Parse(result.StandardOutput.TrimEnd().Split('\n')[^1]);
        return (saw.RootElement.GetProperty("startSeconds").GetDouble(), saw.RootElement.GetProperty("stopSeconds").GetDouble());
    }

    /// <summary>The server a run left (the persistent lifetime keeps it): the bench leaves nothing running.</summary>
    private static async Task StopServerAsync(string state)
    {
        if (PostgresBinaries.Find() is { } binaries && LocalPostgresCluster.TryOpenExisting(state, binaries) is { } cluster)
        {
            await cluster.StopAsync();
        }
    }

    private static async Task<double> StartToHealthyAsync(string appHost, string state, int port, Timings stop, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(appHost)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { appHost, "--Postgres:Mode=local", $"--Postgres:DataDirectory={state}", $"--Postgres:Port={port}",
                     $"--Backup:Directory={Path.Combine(state, "backups")}" }.Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }

        HttpLaunchProfile.ApplyTo(start, AppHostProject(appHost));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (true)
            {
                if (process.HasExited || stopwatch.Elapsed > TimeSpan.FromMinutes(3))
                {
                    lock (output)
                    {
                        throw new InvalidOperationException($"The AppHost did not bring the web app up:\n{output}");
                    }
                }

                try
                {
                    using var response = await http.GetAsync(WebHealth);
                    if (response.IsSuccessStatusCode)
                    {
                        lock (output)
                        {
                            // A port still held by the last run would have moved this stack and timed somebody else's web app.
                            if (output.ToString().Contains("of this checkout uses port", StringComparison.Ordinal))
                            {
                                throw new InvalidOperationException($"A port of the launch profile was taken, so this run measured another stack:\n{output}");
                            }
                        }

                        return stopwatch.Elapsed.TotalSeconds;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not up yet.
                }

                await Task.Delay(50);
            }
        }
        finally
        {
            var stopping = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            // Stopped means every process gone: DCP stops the web app and lets go of the ports just after the AppHost exits.
            while (HttpLaunchProfile.Ports(AppHostProject(appHost)).Append(WebHealth.Port).Any(port => !PortHolder.IsFree(port)))
            {
                await Task.Delay(50, timeout.Token);
            }

            stop.Add(stopping.Elapsed.TotalSeconds);
        }
    }

    /// <summary>The AppHost's project folder, from its built program (bin/Release/net10.0/Superset.AppHost.dll).</summary>
    private static string AppHostProject(string appHost) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(appHost)!, "..", "..", ".."));
}
