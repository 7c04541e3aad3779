namespace Superset.Migrations.LocalServer;

/// <summary>What <see cref="LocalPostgresCluster.EnsureRunningAsync"/> found or did.</summary>
public enum ServerAction
{
    /// <summary>A server already ran on the data directory (the AppHost's or the command line's): it is used as it is.</summary>
    Reused,

    /// <summary>The server was started.</summary>
    Started,

    /// <summary>The cluster was created (initdb), then the server started.</summary>
    Initialized,
}

/// <summary>A checkout's server as it is now: whether it runs, as which process, on which port, started by whom.</summary>
public sealed record ServerStatus(int? Pid, int Port, string DataDirectory, ServerStartRecord? StartedBy, ServerAction Action = ServerAction.Reused)
{
    public bool IsRunning => Pid is not null;
}
