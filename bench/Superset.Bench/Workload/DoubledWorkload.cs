using System.Globalization;
using System.Text.RegularExpressions;

namespace Superset.Bench.Workload;

/// <summary>
/// A longer history made from a workload: the workload, then itself again under new names (tables, indexes and unique
/// constraints suffixed <c>_b</c>, versions a day later), as JSON and as the same steps in plain SQL, so that psql and
/// our engine run the same 1000 steps.
/// </summary>
internal static partial class DoubledWorkload
{
    private const long VersionOffset = 100_000_000;

    public static OpsWorkload Write(OpsWorkload workload, string directory)
    {
        var json = File.ReadAllText(workload.Path);
        var sql = File.ReadAllText(Path.ChangeExtension(workload.Path, ".sql"));
        var second = Versions().Replace(Rename(json), match =>
            "\"version\":" + (long.Parse(match.Groups["v"].Value, CultureInfo.InvariantCulture) + VersionOffset).ToString(CultureInfo.InvariantCulture));

        var steps = StepsArray().Match(json).Groups["steps"].Value;
        var moreSteps = StepsArray().Match(second).Groups["steps"].Value;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"ops-{workload.Steps.Count * 2}.json");
        File.WriteAllText(path, $"{{\"format\":\"{OpsWorkload.Format}\",\"steps\":[{steps},{moreSteps}]}}");
        File.WriteAllText(Path.ChangeExtension(path, ".sql"), sql.TrimEnd() + "\n" + Rename(sql));
        return OpsWorkload.Read(path);
    }

    private static string Rename(string text) => Names().Replace(text, match => match.Value + "_b");

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:tbl|ix|uq)_\d+(?!\d)")]
    private static partial Regex Names();

    [GeneratedRegex(@"""version""\s*:\s*(?<v>\d+)")]
    private static partial Regex Versions();

    [GeneratedRegex(@"""steps""\s*:\s*\[(?<steps>.*)\]\s*\}\s*$", RegexOptions.Singleline)]
    private static partial Regex StepsArray();
}
