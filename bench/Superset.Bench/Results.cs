using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Superset.Bench;

/// <summary>One figure: ours next to its baseline, and the target it is held to.</summary>
internal sealed record Figure(string Name, Timings Ours, Timings? Baseline, string Target, Func<Timings, Timings?, bool> Met)
{
    public double? Ratio => Baseline is null ? null : Ours.Median / Baseline.Median;

    public string Line() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Name,-44} {Ours.Subject,-34} {Seconds(Ours)}   {(Baseline is null ? "" : $"vs {Baseline.Subject}: {Seconds(Baseline)}   x{Ratio:0.00}")}   target {Target} {(Met(Ours, Baseline) ? "✅" : "❌")}");

    private static string Seconds(Timings timings) =>
        string.Create(CultureInfo.InvariantCulture, $"{timings.Median:0.000} s (min {timings.Min:0.000}, max {timings.Max:0.000}, n={timings.Seconds.Count})");
}

/// <summary>Prints each figure as it is measured and writes them all to bench/results/.</summary>
internal sealed class Results(string directory)
{
    private readonly List<Figure> _figures = [];
    private readonly List<string> _notes = [];

    public void Add(Figure figure)
    {
        _figures.Add(figure);
        Console.WriteLine(figure.Line());
    }

    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine($"   · {note}");
    }

    public string Write(string machine)
    {
        Directory.CreateDirectory(directory);
        var markdown = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Benchmark run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}")
            .AppendLine()
            .AppendLine("| Figure | Ours (median, min–max) | Baseline (median, min–max) | Ratio | Target | Met |")
            .AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var figure in _figures)
        {
            markdown.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {figure.Name} | {figure.Ours.Subject}: {figure.Ours.Median:0.000} s ({figure.Ours.Min:0.000}–{figure.Ours.Max:0.000}) | " +
                $"{(figure.Baseline is { } b ? $"{b.Subject}: {b.Median:0.000} s ({b.Min:0.000}–{b.Max:0.000})" : "—")} | " +
                $"{(figure.Ratio is { } r ? $"{r:0.00}x" : "—")} | {figure.Target} | {(figure.Met(figure.Ours, figure.Baseline) ? "yes" : "no")} |"));
        }

        if (_notes.Count > 0)
        {
            markdown.AppendLine().AppendJoin('\n', _notes.Select(n => $"- {n}")).AppendLine();
        }

        File.WriteAllText(Path.Combine(directory, "latest.md"), markdown.ToString());
        File.WriteAllText(Path.Combine(directory, "latest.json"), JsonSerializer.Serialize(_figures.Select(f => new
        {
            figure = f.Name,
            ours = new { subject = f.Ours.Subject, seconds = f.Ours.Seconds, median = f.Ours.Median },
            baseline = f.Baseline is null ? null : new { subject = f.Baseline.Subject, seconds = f.Baseline.Seconds, median = f.Baseline.Median },
            ratio = f.Ratio,
            target = f.Target,
            met = f.Met(f.Ours, f.Baseline),
        }), new JsonSerializerOptions { WriteIndented = true }));
        return Path.Combine(directory, "latest.md");
    }
}
