using System.CommandLine;
using Superset.Migrations.LocalServer;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>server [status|start|stop]</c>: the checkout's local PostgreSQL server, which the AppHost and the command line
/// share and which keeps running between them (Postgres:Lifetime=persistent): where it is, who started it, and a way
/// to stop it.
/// </summary>
internal sealed class ServerCommand : ICliCommand
{
    private static readonly Argument<string> Action = new Argument<string>("action")
    {
        Description = "status (the default): where it is and who started it; start; stop.",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => "status",
    }.AcceptOnlyFromAmong("status", "start", "stop");

    public Command Command { get; } = new("server", "The checkout's local PostgreSQL server, which outlives the AppHost: status (port, pid, who started it), start, stop.")
    {
        Action,
    };

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var action = context.Value(Action);
        var root = LocalDevelopmentDatabase.FindRepositoryRoot(context.Environment.CheckoutSearchStart)
            ?? throw new UsageException("'server' works on a checkout's local server: run it inside the checkout.");
        var cluster = await LocalDevelopmentDatabase.OpenClusterAsync(root, context.Environment.GetVariable, cancellationToken);

        switch (action)
        {
            case "start":
                var started = await ServerControl.EnsureRunningAsync(cluster, "the command line", line => context.Line($"   {line}"), cancellationToken);
                Report(context, cluster, started, started.Action.ToString().ToLowerInvariant(),
                    started.Action == ServerAction.Reused ? "✅ Already running" : "✅ Started (it keeps running until 'server stop')");
                return ExitCodes.Success;
            case "stop":
                var before = ServerControl.Status(cluster);
                var stopped = await ServerControl.StopAsync(cluster, cancellationToken);
                Report(context, cluster, ServerControl.Status(cluster), stopped ? "stopped" : "none",
                    stopped ? $"✅ Stopped the local PostgreSQL server (pid {before.Pid})" : "✅ Not running: nothing to stop");
                return ExitCodes.Success;
            default:
                var status = ServerControl.Status(cluster);
                Report(context, cluster, status, "none", status.IsRunning ? "✅ Running" : "⏹️  Not running: the next F5 or command starts it");
                return ExitCodes.Success;
        }
    }

    /// <param name="action">What was done: reused, started, initialized, stopped, or none.</param>
    private static void Report(CommandContext context, LocalPostgresCluster cluster, ServerStatus status, string action, string headline)
    {
        var result = new ServerResult(
            action,
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
