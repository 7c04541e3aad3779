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
        if (CheckoutContainer.InUse(settings.StateDirectory(root)) is { } container)
        {
            return await ContainerAsync(context, action!, container, cancellationToken);
        }

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

    /// <summary>Container mode: the checkout's container, as its engine reports it; start and stop through the engine.</summary>
    private static async Task<int> ContainerAsync(CommandContext context, string action, CheckoutContainer container, CancellationToken cancellationToken)
    {
        var before = await ContainerEngine.InspectAsync(container.Name, cancellationToken);
        if (before.State is null && action != "status")
        {
            throw new Superset.Migrations.LocalServer.LocalServerException(
                $"The container {container.Name} does not exist (removed by hand?): F5 makes it again, on its volume {container.Volume}.");
        }

        var (done, headline) = action switch
        {
            "start" when before.IsRunning => ("reused", "✅ Already running"),
            "start" => ("started", "✅ Started"),
            "stop" when !before.IsRunning => ("none", "✅ Not running: nothing to stop"),
            "stop" => ("stopped", $"✅ Stopped the container {container.Name} (its data stays in the volume {container.Volume})"),
            _ => ("none", before.State is null ? "⏹️  No such container: F5 makes it" : before.IsRunning ? "✅ Running" : $"⏹️  Not running ({before.State}): F5 starts it"),
        };
        if (done is "started" or "stopped")
        {
            await ContainerEngine.RunAsync(action, container.Name, cancellationToken);
        }

        var after = done is "started" or "stopped" ? await ContainerEngine.InspectAsync(container.Name, cancellationToken) : before;
        var result = new ServerResult(done, after.IsRunning ? "running" : "stopped", null, container.Port, container.Volume, null, "the AppHost (container mode)", null, null)
        {
            Container = container.Name,
        };
        context.Output.Report(result, static json => json.ServerResult, () =>
        {
            context.Output.Line($"🐳 PostgreSQL container of {container.StateDirectory}");
            context.Output.Line(headline);
            context.Output.Line($"   Container:      {container.Name} ({ContainerEngine.Name}{(after.State is null ? "" : $", {after.State}")})");
            context.Output.Line($"   Image:          {after.Image ?? container.Image}");
            context.Output.Line($"   Address:        127.0.0.1:{container.Port}");
            context.Output.Line($"   Data volume:    {container.Volume}");
            context.Output.Line("   Started by:     the AppHost (Postgres:Mode container); it outlives the AppHost (Postgres:Lifetime=persistent)");
        });
        return ExitCodes.Success;
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
