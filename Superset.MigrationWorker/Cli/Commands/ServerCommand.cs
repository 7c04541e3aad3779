using Superset.Migrations.LocalServer;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>server [status|start|stop]</c>: the checkout's local PostgreSQL server, which the AppHost and the command line
/// share and which keeps running between them (Postgres:Lifetime=persistent): where it is, who started it, and a way
/// to stop it.
/// </summary>
internal sealed class ServerCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "server",
        "The checkout's local PostgreSQL server: status (port, data directory, pid, who started it), start, stop.",
        "server [status|start|stop]",
        [],
        MinArguments: 0,
        MaxArguments: 1,
        Details: "The server keeps running after the AppHost or a command stops, so that the next F5 and the next\n" +
                 "command find it ready; 'server stop' stops it (a fast shutdown: open sessions are disconnected).");

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var action = context.Arguments.Positional.Count == 0 ? "status" : context.Arguments.Positional[0];
        if (action is not ("status" or "start" or "stop"))
        {
            throw new UsageException($"Unknown server action '{ParsedArguments.Shorten(action)}': server [status|start|stop].");
        }

        var root = Superset.Migrations.LocalServer.LocalDevelopmentDatabase.FindRepositoryRoot(context.Environment.CurrentDirectory)
            ?? throw new UsageException("'server' works on a checkout's local server: run it inside the checkout.");
        var cluster = await LocalDevelopmentDatabase.OpenClusterAsync(root, context.Environment.GetVariable, cancellationToken);

        switch (action)
        {
            case "start":
                var started = await ServerControl.EnsureRunningAsync(cluster, "the command line", line => context.Line($"   {line}"), cancellationToken);
                Report(context, cluster, started, started.Action == ServerAction.Reused ? "✅ Already running" : "✅ Started (it keeps running until 'server stop')");
                return ExitCodes.Success;
            case "stop":
                var before = ServerControl.Status(cluster);
                var stopped = await ServerControl.StopAsync(cluster, cancellationToken);
                Report(context, cluster, ServerControl.Status(cluster),
                    stopped ? $"✅ Stopped the local PostgreSQL server (pid {before.Pid})" : "✅ Not running: nothing to stop");
                return ExitCodes.Success;
            default:
                var status = ServerControl.Status(cluster);
                Report(context, cluster, status, status.IsRunning ? "✅ Running" : "⏹️  Not running: the next F5 or command starts it");
                return ExitCodes.Success;
        }
    }

    private static void Report(CommandContext context, LocalPostgresCluster cluster, ServerStatus status, string headline)
    {
        var result = new ServerResult(
            status.IsRunning ? "running" : "stopped",
            status.Pid,
            status.Port,
            status.DataDirectory,
            cluster.LogFile,
            status.StartedBy?.StartedBy,
            status.StartedBy?.StarterPid,
            status.StartedBy?.StartedAt);
        context.Report(result, CliJson.Default.ServerResult, () =>
        {
            context.Line($"🐘 Local PostgreSQL server of {cluster.StateDirectory}");
            context.Line(headline);
            context.Line($"   Address:        127.0.0.1:{status.Port}");
            context.Line($"   Data directory: {status.DataDirectory}");
            if (status.IsRunning)
            {
                context.Line($"   Process:        pid {status.Pid}");
                context.Line($"   Started by:     {status.StartedBy?.ToString() ?? "unknown (started outside the AppHost and the command line)"}");
            }

            context.Line($"   Log:            {cluster.LogFile}");
        });
    }
}
