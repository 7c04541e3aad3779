using System.Runtime.InteropServices;
using Superset.MigrationWorker.Cli.Answers;

namespace Superset.MigrationWorker.QuickAnswer;

/// <summary>The way to the command line: this process replaced by <c>dotnet Superset.MigrationWorker.dll …</c>, with the same streams, folder and variables.</summary>
internal static class CommandLineHandOver
{
    /// <summary>Replaces this process with <c>dotnet &lt;command line&gt; &lt;arguments&gt;</c>, told where to keep its answer.</summary>
    public static int Exec(string commandLine, string[] arguments, string? file)
    {
        string why;
        try
        {
            if (file is not null)
            {
                _ = SetEnvironmentVariable(StoredAnswer.FileVariable, file, 1);
            }

            string?[] argv = ["dotnet", commandLine, .. arguments, null];
            _ = ExecVp("dotnet", argv);
            why = $"errno {Marshal.GetLastPInvokeError()}";
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or MarshalDirectiveException)
        {
            // No C library to exec with (an unusual platform): said in one line, never an unhandled exception.
            why = ex.Message;
        }

        Console.Error.WriteLine($"❌ ERROR: could not start 'dotnet {commandLine}' ({why}): is the .NET SDK on PATH? SUPERSET_QUICK_ANSWERS=off runs it directly.");
        return 1;
    }

    // .NET keeps its own copy of the environment: setenv is what execvp passes on.
    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetEnvironmentVariable([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    // LPStr is UTF-8 on Linux and macOS, and the one string type .NET marshals in an array.
    [DllImport("libc", EntryPoint = "execvp", SetLastError = true)]
    private static extern int ExecVp([MarshalAs(UnmanagedType.LPUTF8Str)] string file, [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv);
}
