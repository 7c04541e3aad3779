namespace Superset.Migrations.LocalServer;

/// <summary>
/// The databases of a checkout's server that a command has made sure exist (a line each in the state directory's
/// <c>known-databases</c>): the next command connects to them at once. A cache: a database dropped behind its back is
/// noticed by the connection that fails, and forgotten.
/// </summary>
internal static class KnownDatabases
{
    private const string FileName = "known-databases";

    public static bool Contains(string stateDirectory, string database) => Read(stateDirectory).Contains(database);

    public static void Add(string stateDirectory, string database)
    {
        var known = Read(stateDirectory);
        if (known.Add(database))
        {
            Write(stateDirectory, known);
        }
    }

    public static void Remove(string stateDirectory, string database)
    {
        var known = Read(stateDirectory);
        if (known.Remove(database))
        {
            Write(stateDirectory, known);
        }
    }

    private static HashSet<string> Read(string stateDirectory)
    {
        try
        {
            var path = Path.Combine(stateDirectory, FileName);
            return File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
        }
        catch (IOException)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
    }

    private static void Write(string stateDirectory, HashSet<string> known)
    {
        try
        {
            var path = Path.Combine(stateDirectory, FileName);
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllLines(temporary, known.Order(StringComparer.Ordinal));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cache: the next command checks with the server again.
        }
    }
}
