namespace Superset.Migrations.Settings;

/// <summary>How the AppHost provides PostgreSQL (<c>Postgres:Mode</c>).</summary>
public enum PostgresMode
{
    /// <summary>A container where a container engine answers, else the machine's binaries, else a clear error.</summary>
    Auto,

    /// <summary>Aspire's PostgreSQL container with a pinned image (always when publishing).</summary>
    Container,

    /// <summary>The machine's PostgreSQL binaries: the checkout's own server.</summary>
    Local,

    /// <summary>A server the user runs: <c>ConnectionStrings:superset</c> in the AppHost's configuration.</summary>
    External,
}

/// <summary>How long PostgreSQL lives (<c>Postgres:Lifetime</c>).</summary>
public enum PostgresLifetime
{
    /// <summary>
    /// It outlives the AppHost: started when it does not run, used as it is when it does (the command line's or the
    /// previous F5's), and left running at the end, so the next F5 finds it ready. The default, as the aspire-samples
    /// and eShop do with <c>ContainerLifetime.Persistent</c>.
    /// </summary>
    Persistent,

    /// <summary>It stops with the AppHost.</summary>
    Session,
}

/// <summary>Whether an AppHost started by a test gets a database of its own (<c>Postgres:TestIsolation</c>).</summary>
public enum TestIsolation
{
    /// <summary>Under Aspire's testing builder, in local mode: a database of the test's own, never the developer's.</summary>
    Auto,

    /// <summary>The database F5 uses, as configured (a test on a server of its own, say).</summary>
    Off,
}

/// <summary>
/// The <c>Postgres</c> section: read by the AppHost from its configuration and by the command line from its environment
/// (<c>Postgres__Port</c>), so that both find the same server of the checkout.
/// </summary>
public sealed class PostgresSettings : IValidatedSettings
{
    public const string Section = "Postgres";

    /// <summary>The state directory relative to the checkout's root, unless <see cref="DataDirectory"/> says otherwise.</summary>
    public static readonly string DefaultStateDirectory = Path.Combine(".data", "postgres");

    public static class Keys
    {
        public const string Mode = "Postgres:Mode";
        public const string Lifetime = "Postgres:Lifetime";
        public const string Port = "Postgres:Port";
        public const string DataDirectory = "Postgres:DataDirectory";
        public const string BinDirectory = "Postgres:BinDirectory";
        public const string DatabasePerBranch = "Postgres:DatabasePerBranch";
        public const string Branch = "Postgres:Branch";
        public const string TestIsolation = "Postgres:TestIsolation";
        public const string TestDatabase = "Postgres:TestDatabase";
    }

    /// <summary><see cref="TestDatabase"/>: a copy of a template migrated to head, so that the steps have nothing to do.</summary>
    public const string MigratedTestDatabase = "migrated";

    /// <summary><see cref="TestDatabase"/>: an empty database, which the migration worker migrates, as on a fresh clone.</summary>
    public const string EmptyTestDatabase = "empty";

    public PostgresMode Mode { get; set; } = PostgresMode.Auto;

    public PostgresLifetime Lifetime { get; set; } = PostgresLifetime.Persistent;

    /// <summary>The local server's port; by default one of the checkout's own, saved in <c>cluster.conf</c>.</summary>
    public int? Port { get; set; }

    /// <summary>The local server's state directory, relative to the checkout's root; <c>.data/postgres</c> by default.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Where <c>initdb</c> and <c>postgres</c> are, when they are not found.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>A database per git branch, <c>superset_&lt;branch&gt;</c> (local mode).</summary>
    public bool DatabasePerBranch { get; set; }

    /// <summary>The branch, when HEAD is detached.</summary>
    public string? Branch { get; set; }

    public TestIsolation TestIsolation { get; set; } = TestIsolation.Auto;

    /// <summary>
    /// What an isolated test's database starts as: <c>migrated</c> (the default), <c>empty</c> (a real migration run), or
    /// the name of a database on the same server to copy (a state the test prepared).
    /// </summary>
    public string TestDatabase { get; set; } = MigratedTestDatabase;

    public IEnumerable<string> Errors()
    {
        if (Port is < 1 or > 65535)
        {
            yield return $"{Keys.Port} '{Port}' is not a TCP port (1 to 65535).";
        }

        if (string.IsNullOrWhiteSpace(TestDatabase))
        {
            yield return $"{Keys.TestDatabase} is empty: give {MigratedTestDatabase}, {EmptyTestDatabase} or the name of a database to copy.";
        }
    }

    /// <summary>The local server's state directory for a checkout.</summary>
    public string StateDirectory(string checkoutRoot) =>
        Path.GetFullPath(DataDirectory is { Length: > 0 } configured ? configured : DefaultStateDirectory, checkoutRoot);
}
