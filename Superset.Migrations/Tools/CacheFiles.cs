namespace Superset.Migrations.Tools;

/// <summary>
/// The files kept per build or per command line under <c>~/.cache/superset-migrations</c>: one is written for every
/// compile of a migrations assembly (its scripts) and every terminal or setting a command ran in (its answer), so they
/// would pile up (674 files in one day of work here). Whoever writes one removes those not written for two weeks.
/// This file is compiled into the quick front too (it needs nothing else), so that both find the same folder.
/// </summary>
public static class CacheFiles
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(14);

    /// <summary>
    /// <c>$XDG_CACHE_HOME/superset-migrations/&lt;kind&gt;</c>, else <c>$HOME/.cache/superset-migrations/&lt;kind&gt;</c>; null
    /// when neither variable is set.
    /// </summary>
    public static string? Folder(string kind, Func<string, string?> variable)
    {
        var cache = variable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : variable("HOME") is { Length: > 0 } home ? Path.Combine(home, ".cache")
            : null;
        return cache is null ? null : Path.Combine(cache, "superset-migrations", kind);
    }

    /// <summary>Removes <paramref name="folder"/>'s <c>*.json</c> files last written more than <see cref="KeptFor"/> ago; a file another process holds or removed meanwhile is left.</summary>
    public static void RemoveOld(string folder)
    {
        var before = DateTime.UtcNow - KeptFor;
        try
        {
            foreach (var old in new DirectoryInfo(folder).EnumerateFiles("*.json").Where(f => f.LastWriteTimeUtc < before))
            {
                try
                {
                    old.Delete();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Another process's, or gone already: the next write tries again.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cache: nothing depends on its tidiness.
        }
    }
}
