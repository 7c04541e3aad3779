using System.Diagnostics;
using Superset.Migrations.Tools;

namespace Superset.Bench;

/// <summary>Times whole processes, as a person at a shell would experience them.</summary>
internal static class Measure
{
    public static async Task<double> ProcessAsync(
        string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null, params int[] acceptedExitCodes)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await ToolRunner.RunAsync(fileName, arguments, environment, workingDirectory);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var accepted = acceptedExitCodes.Length == 0 ? [0] : acceptedExitCodes;
        if (!accepted.Contains(result.ExitCode))
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
        }

        return seconds;
    }

    public static async Task<double> TimeAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}

/// <summary>Repeated timings of one subject: the median is the figure, min and max its spread.</summary>
internal sealed class Timings(string subject)
{
    private readonly List<double> _seconds = [];

    public string Subject { get; } = subject;

    public IReadOnlyList<double> Seconds => _seconds;

    public void Add(double seconds) => _seconds.Add(seconds);

    public double Median
    {
        get
        {
            var sorted = _seconds.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    public double Min => _seconds.Min();

    public double Max => _seconds.Max();
}
