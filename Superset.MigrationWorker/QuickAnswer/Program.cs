using System.Runtime.InteropServices;
using System.Text;
using Npgsql;
using Superset.MigrationWorker.Cli.Answers;

namespace Superset.MigrationWorker.QuickAnswer;

/// <summary>
/// <c>manage-migrations-quick &lt;Superset.MigrationWorker.dll&gt; &lt;command&gt; [options]</c>: answers <c>status</c> and
/// <c>current</c> the way the command line answered the same command last time, when nothing it depends on has changed
/// (see <see cref="StoredAnswer"/>), in a native process that starts in milliseconds instead of .NET's runtime loading
/// Npgsql, System.CommandLine, FluentMigrator and the migrations (0.15 s). In every other case, and on any doubt, it hands
/// over to the command line itself (the same process, replaced), which answers in full and keeps its answer for next time.
/// </summary>
internal static class Program
{
    /// <summary>How long the front waits for the database before handing over: the command line has its own waits and messages.</summary>
    private const int ConnectSeconds = 3;

    public static int Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("❌ ERROR: usage: manage-migrations-quick <Superset.MigrationWorker.dll> <command> [options]");
            return 2;
        }

        var commandLine = args[0];
        var arguments = args[1..];
        string? file = null;
        StoredAnswer? answer = null;
        try
        {
            // The command line's own path is part of the question: two builds (Debug and Release, two checkouts) keep two answers.
            file = AnswerFile.For(args, Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariables());
            answer = file is null ? null : StoredAnswer.Read(file);
        }
        catch (Exception)
        {
            // A folder gone from under the shell, an unreadable variable: the command line answers, and says what is wrong.
        }

        if (answer is not null && StillTrue(answer))
        {
            Print(answer);
            return answer.ExitCode;
        }

        return HandOver(commandLine, arguments, file);
    }

    /// <summary>Whether every file is as it was and the database still gives the same fingerprint; any failure is a no.</summary>
    public static bool StillTrue(StoredAnswer answer)
    {
        try
        {
            if (!answer.Inputs.All(input => input.IsUnchanged()))
            {
                return false;
            }

            var builder = new NpgsqlConnectionStringBuilder(answer.ConnectionString) { Timeout = ConnectSeconds, CommandTimeout = ConnectSeconds };
            var password = answer.PasswordFile is { } passwordFile ? File.ReadAllText(passwordFile).Trim()
                : answer.PasswordVariable is { } variable ? PasswordIn(Environment.GetEnvironmentVariable(variable))
                : null;
            if (password is not null)
            {
                builder.Password = password;
            }

            using var dataSource = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString).EnableTransportSecurity().Build();
            using var connection = dataSource.OpenConnection();
            using var command = new NpgsqlCommand(answer.FingerprintSql, connection);
            return command.ExecuteScalar() as string == answer.Fingerprint;
        }
        catch (Exception)
        {
            // A server stopped, a table dropped, a password changed: the command line finds out and says what it is.
            return false;
        }
    }

    /// <summary>
    /// The password in a database setting: a <c>postgresql://user:password@host/db</c> URI's (any <c>postgres…</c> scheme) or
    /// a connection string's <c>Password</c>; null when it has none, or it cannot be read (the connection then fails, and the
    /// command line answers).
    /// </summary>
    public static string? PasswordIn(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            return null;
        }

        var scheme = setting.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && setting.StartsWith("postgres", StringComparison.OrdinalIgnoreCase))
        {
            var rest = setting[(scheme + 3)..];
            var query = rest.IndexOf('?');
            var at = (query < 0 ? rest : rest[..query]).LastIndexOf('@');
            var userInfo = at < 0 ? string.Empty : rest[..at];
            var colon = userInfo.IndexOf(':');
            return colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(setting).Password;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static void Print(StoredAnswer answer)
    {
        using var output = Console.OpenStandardOutput();
        using var error = Console.OpenStandardError();
        foreach (var chunk in answer.Output)
        {
            var stream = chunk.Error ? error : output;
            stream.Write(Encoding.UTF8.GetBytes(chunk.Text));
            stream.Flush();
        }
    }

    /// <summary>Replaces this process with <c>dotnet &lt;command line&gt; &lt;arguments&gt;</c>, told where to keep its answer.</summary>
    private static int HandOver(string commandLine, string[] arguments, string? file)
    {
        if (file is not null)
        {
            _ = SetEnvironmentVariable(StoredAnswer.FileVariable, file, 1);
        }

        string?[] argv = ["dotnet", commandLine, .. arguments, null];
        _ = ExecVp("dotnet", argv);
        Console.Error.WriteLine($"❌ ERROR: could not start 'dotnet {commandLine}' (errno {Marshal.GetLastPInvokeError()}): is the .NET SDK on PATH?");
        return 1;
    }

    // .NET keeps its own copy of the environment: setenv is what execvp passes on.
    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetEnvironmentVariable([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    // LPStr is UTF-8 on Linux and macOS, and the one string type .NET marshals in an array.
    [DllImport("libc", EntryPoint = "execvp", SetLastError = true)]
    private static extern int ExecVp([MarshalAs(UnmanagedType.LPUTF8Str)] string file, [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv);
}
