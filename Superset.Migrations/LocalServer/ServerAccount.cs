using System.Runtime.InteropServices;
using Superset.Migrations.Tools;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// The operating-system account the local server runs as. PostgreSQL refuses to run as root, so when we are root
/// (CI, containers, sessions) the server programs run as the <c>postgres</c> account through <c>setpriv</c>, which
/// execs in place: the process the orchestrator starts and stops is PostgreSQL itself, so no child is orphaned.
/// </summary>
public sealed partial class ServerAccount
{
    private ServerAccount(string? userName) => UserName = userName;

    /// <summary>The account to switch to, or null to run as ourselves.</summary>
    public string? UserName { get; }

    public static ServerAccount Current { get; } = new(IsRoot() ? "postgres" : null);

    /// <summary>A command line that runs <paramref name="program"/> as this account.</summary>
    public (string FileName, IReadOnlyList<string> Arguments) Wrap(string program, IEnumerable<string> arguments)
    {
        if (UserName is null)
        {
            return (program, arguments.ToArray());
        }

        // A full path: an orchestrator may start the command without searching the PATH.
        var setpriv = File.Exists("/usr/bin/setpriv") ? "/usr/bin/setpriv" : "setpriv";
        return (setpriv, [$"--reuid={UserName}", $"--regid={UserName}", "--init-groups", "--", program, .. arguments]);
    }

    public Task<ToolResult> RunAsync(string program, IEnumerable<string> arguments, string? workingDirectory = null, CancellationToken cancellationToken = default)
    {
        var (fileName, wrapped) = Wrap(program, arguments);
        return ToolRunner.RunAsync(fileName, wrapped, workingDirectory: workingDirectory, cancellationToken: cancellationToken);
    }

    /// <summary>Whether this account can enter <paramref name="directory"/> (every folder above it must allow it).</summary>
    public async Task<bool> CanReachAsync(string directory, CancellationToken cancellationToken = default)
    {
        if (UserName is null)
        {
            return true;
        }

        var result = await RunAsync("test", ["-x", directory, "-a", "-w", directory], "/", cancellationToken);
        return result.Succeeded;
    }

    /// <summary>Gives a folder we created to this account.</summary>
    public async Task TakeOwnershipAsync(string directory, CancellationToken cancellationToken = default)
    {
        if (UserName is null)
        {
            return;
        }

        var result = await ToolRunner.RunAsync("chown", ["-R", $"{UserName}:", directory], cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Cannot give {directory} to the '{UserName}' account: {result.LastError}");
        }
    }

    private static bool IsRoot() => !OperatingSystem.IsWindows() && GetEffectiveUserId() == 0;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
