using Superset.Migrations.Tools;
using Superset.Tests.Shared;

namespace Superset.Tests.Engine;

/// <summary>The cache's tidying: scripts per build and answers per command line do not pile up.</summary>
public sealed class CacheFilesTests
{
    [Fact]
    public void Files_not_written_for_two_weeks_are_removed_and_the_rest_kept()
    {
        var folder = TestPaths.NewTempDirectory("cache");
        foreach (var (name, age) in new[] { ("old.json", 15), ("recent.json", 13), ("new.json", 0), ("old.txt", 30) })
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, "{}");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-age));
        }

        CacheFiles.RemoveOld(folder);
        CacheFiles.RemoveOld(Path.Combine(folder, "not-there"));

        Assert.Equal(["new.json", "old.txt", "recent.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }
}
