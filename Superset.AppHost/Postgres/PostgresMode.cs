namespace Superset.AppHost.Postgres;

/// <summary>How the AppHost provides PostgreSQL (configuration key <c>Postgres:Mode</c>).</summary>
internal enum PostgresMode
{
    /// <summary>A container where a container runtime answers, else the machine's binaries, else a clear error.</summary>
    Auto,

    /// <summary>Aspire's PostgreSQL container with a pinned image (always when publishing).</summary>
    Container,

    /// <summary>The machine's PostgreSQL binaries, run as an Aspire executable resource.</summary>
    Local,

    /// <summary>A server the user runs: <c>ConnectionStrings:superset</c> in the AppHost's configuration.</summary>
    External,
}
