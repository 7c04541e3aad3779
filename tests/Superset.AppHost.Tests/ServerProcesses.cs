namespace Superset.AppHost.Tests;

/// <summary>The PostgreSQL processes of one data directory, read from /proc: whether a stack left its server running.</summary>
public static class ServerProcesses
{
    /// <summary>PostgreSQL processes whose command line names this data directory (ours, not another test's).</summary>
    public static IReadOnlyList<int> Of(string dataDirectory)
    {
        var found = new List<int>();
        foreach (var entry in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out _))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains("postgres", StringComparison.Ordinal) && commandLine.Contains(dataDirectory, StringComparison.Ordinal))
                {
                    found.Add(int.Parse(Path.GetFileName(entry), System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    public static async Task<IReadOnlyList<int>> WaitUntilNoneAsync(string dataDirectory, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        IReadOnlyList<int> left;
        while ((left = Of(dataDirectory)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        return left;
    }
}
