using System.CommandLine;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Settings;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>server [status|start|stop]</c>: the checkout's local PostgreSQL server, which the AppHost and the command line
/// share and which keeps running between them (Postgres:Lifetime=persistent): where it is, who started it, and a way
/// to stop it.
/// </summary>
internal sealed class ServerCommand : ICliCommand
{
    private readonly Argument<string> Action = new Argument<string>("action")
    {
        Description = "status (the default): where it is and who started it; start; stop.",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => "status",
    }.AcceptOnlyFromAmong("status", "start", "stop");

    public ServerCommand()
    {
        Command = new("server", "The checkout's local PostgreSQL server, which outlives the AppHost: status (port, pid, who started it), start, stop.")
        {
            Action,
        };
    }

    public Command Command { get; }

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var action = context.Value(Action);
        var root = Checkout.FindRoot(context.Environment.CheckoutSearchStart)
            ?? throw new UsageException("'server' works on a checkout's local server: run it inside the checkout.");
        var settings = SettingsReader.Read<PostgresSettings>(context.Environment.Configuration, PostgresSettings.Section);
        var cluster = await LocalPostgresCluster.OpenAsync(settings, root, cancellationToken);

        switch (action)
        {
            case "start":
                var started = await cluster.EnsureRunningAsync("the command line", line => context.Output.Line($"   {line}"), cancellationToken);
                Report(context, cluster, started, started.Action.ToString().ToLowerInvariant(),
                    started.Action == ServerAction.Reused ? "✅ Already running" : "✅ Started (it keeps running until 'server stop')");
                return ExitCodes.Success;
            case "stop":
                var before = cluster.Status();
                var stopped = await cluster.StopAsync(cancellationToken: cancellationToken);
                Report(context, cluster, cluster.Status(), stopped ? "stopped" : "none",
                    stopped ? $"✅ Stopped the local PostgreSQL server (pid {before.Pid})" : "✅ Not running: nothing to stop");
                return ExitCodes.Success;
            default:
                var status = cluster.Status();
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
        context.Output.Report(result, static json => json.ServerResult, () =>
        {
            context.Output.Line($"🐘 Local PostgreSQL server of {cluster.StateDirectory}");
            context.Output.Line(headline);
            context.Output.Line($"   Address:        127.0.0.1:{status.Port}");
            context.Output.Line($"   Data directory: {status.DataDirectory}");
            if (status.IsRunning)
            {
                context.Output.Line($"   Process:        pid {status.Pid}");
                context.Output.Line($"   Started by:     {status.StartedBy?.ToString() ?? "unknown (started outside the AppHost and the command line)"}");
            }

            context.Output.Line($"   Log:            {cluster.LogFile}");
        });
    }
}
