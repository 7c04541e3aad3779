using System.Text;
using Superset.MigrationWorker.Cli.Answers;

namespace Superset.MigrationWorker.QuickAnswer;

/// <summary>
/// <c>manage-migrations-quick &lt;Superset.MigrationWorker.dll&gt; &lt;command&gt; [options]</c>: answers <c>status</c>,
/// <c>current</c>, <c>history</c> and <c>heads</c> the way the command line answered the same command last time, when nothing it depends on has changed
/// (see <see cref="StoredAnswer"/>), in a native process that starts in milliseconds instead of .NET's runtime loading
/// Npgsql, System.CommandLine, FluentMigrator and the migrations (0.15 s). In every other case, and on any doubt, it hands
/// over to the command line itself (the same process, replaced), which answers in full and keeps its answer for next time.
/// </summary>
internal static class Program
{
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

        if (answer is not null && KeptAnswerCheck.StillHolds(answer))
        {
            try
            {
                Print(answer);
            }
            catch (IOException ex)
            {
                // A full disk under "> file", say: as the command line does, one line and exit 1 (a closed pipe is
                // already ignored by .NET's console streams and ends nowhere here).
                try
                {
                    Console.Error.WriteLine($"❌ ERROR: {ex.Message}");
                }
                catch (IOException)
                {
                    // Nowhere to say it: the exit code does.
                }

                return 1;
            }

            return answer.ExitCode;
        }

        return CommandLineHandOver.Exec(commandLine, arguments, file);
    }

    /// <summary>The kept text as bytes, in the order it was written to each stream: exactly what the command line printed.</summary>
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
}
