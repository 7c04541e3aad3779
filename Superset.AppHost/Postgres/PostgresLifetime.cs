namespace Superset.AppHost.Postgres;

/// <summary>How long PostgreSQL lives (configuration key <c>Postgres:Lifetime</c>).</summary>
internal enum PostgresLifetime
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
