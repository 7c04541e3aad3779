namespace Superset.Migrations.LocalServer;

/// <summary>The checkout: the folder with <c>Superset.sln</c>, where the local server's state and the backups live.</summary>
public static class Checkout
{
    public const string SolutionFile = "Superset.sln";

    /// <summary>The root of the checkout at or above <paramref name="start"/>; null outside one.</summary>
    public static string? FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
