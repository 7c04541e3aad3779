using System.Security.Cryptography;
using Superset.Migrations.Settings;

namespace Superset.AppHost.Postgres;

/// <summary>
/// An AppHost started by a test (Aspire's <c>DistributedApplicationTestingBuilder</c>) is told apart by the testing
/// library it runs under: the test process has loaded <c>Aspire.Hosting.Testing</c>, which an F5 never does. In local
/// mode such an AppHost gets a database of its own on the checkout's server, never the developer's
/// (<c>Postgres:TestIsolation=auto</c>, the default; <c>off</c> in the test's own arguments uses the database F5 uses).
/// </summary>
internal static class TestIsolation
{
    private const string TestingAssembly = "Aspire.Hosting.Testing";

    private static int _created;

    /// <summary>What an isolated test's database starts as, when this AppHost runs under a test; null otherwise.</summary>
    public static IsolatedDatabase? For(IDistributedApplicationBuilder builder, PostgresSettings settings) =>
        builder.ExecutionContext.IsRunMode && settings.TestIsolation == Superset.Migrations.Settings.TestIsolation.Auto && UnderTestingBuilder()
            ? new IsolatedDatabase(NewDatabaseName(), settings.TestDatabase)
            : null;

    public static bool UnderTestingBuilder() =>
        AppDomain.CurrentDomain.GetAssemblies().Any(assembly => assembly.GetName().Name == TestingAssembly);

    /// <summary>
    /// <c>superset_test_&lt;pid&gt;_&lt;n&gt;_&lt;random&gt;</c>: the test process's pid, so that a run killed half-way leaves
    /// databases the next run can tell are leftovers (their process is gone), and a random part, so that two test
    /// processes never pick the same name.
    /// </summary>
    private static string NewDatabaseName() =>
        $"{IsolatedDatabase.Prefix}{Environment.ProcessId}_{Interlocked.Increment(ref _created)}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}

/// <summary>A test's database: its name, and what it starts as (<c>migrated</c>, <c>empty</c>, or a copy of a database).</summary>
internal sealed record IsolatedDatabase(string Name, string StartsAs)
{
    public const string Prefix = "superset_test_";

    /// <summary>Where a test's backups go unless it names a folder: never the developer's <c>backups/</c>; removed with the database.</summary>
    public string BackupDirectory => BackupDirectoryOf(Name);

    public static string BackupDirectoryOf(string database) => Path.Combine(Path.GetTempPath(), "superset-test-backups", database);
}
