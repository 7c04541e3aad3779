namespace Superset.AppHost;

/// <summary>
/// What the AppHost refuses while it builds its model (<see cref="DistributedApplicationException"/>: Postgres:Mode
/// container with no engine, the container's port taken, no PostgreSQL at all) ends as one line on stderr and exit 1,
/// as the command line's errors do, instead of an unhandled exception's stack trace and exit 134.
/// </summary>
internal static class SetupFailure
{
    public static void ExitWithOneLine(object sender, UnhandledExceptionEventArgs e)
    {
        if (e.ExceptionObject is DistributedApplicationException refused)
        {
            Console.Error.WriteLine($"❌ ERROR: {refused.Message.ReplaceLineEndings(" ")}");
            Environment.Exit(1);
        }
    }
}
