using System.Collections;
using System.Security.Cryptography;
using System.Text;

namespace Superset.MigrationWorker.Cli.Answers;

/// <summary>
/// Where the answer to a command line is kept: a file named after everything the command is given (the program and its
/// arguments, its folder, its variables), so that a command given anything else (another database, another setting, <c>--json</c>) never
/// meets this one's answer, in the cache's <c>answers</c> folder.
/// </summary>
internal static class AnswerFile
{
    /// <summary><c>SUPERSET_QUICK_ANSWERS=off</c>: every command answers in full (to compare, or to rule the front out).</summary>
    public const string Variable = "SUPERSET_QUICK_ANSWERS";

    /// <summary>The shell's own bookkeeping, different from one prompt to the next and read by no command.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "_", "OLDPWD", "SHLVL", StoredAnswer.FileVariable };

    /// <summary>The file for this command line, or null when quick answers are off or there is no folder for them.</summary>
    public static string? For(IReadOnlyList<string> arguments, string currentDirectory, IDictionary variables)
    {
        if (variables[Variable] is "off")
        {
            return null;
        }

        var folder = Superset.Migrations.Tools.CacheFiles.Folder("answers", name => variables[name] as string);
        return folder is null ? null : Path.Combine(folder, Key(arguments, currentDirectory, variables) + ".json");
    }

    /// <summary>A digest of the arguments, the folder and every variable but <see cref="Ignored"/>, each delimited.</summary>
    public static string Key(IReadOnlyList<string> arguments, string currentDirectory, IDictionary variables)
    {
        var text = new StringBuilder().Append("answer/").Append(StoredAnswer.CurrentFormat).Append('\0');
        foreach (var argument in arguments)
        {
            text.Append("arg:").Append(argument).Append('\0');
        }

        text.Append("cwd:").Append(currentDirectory).Append('\0');
        foreach (var (name, value) in variables.Cast<DictionaryEntry>()
                     .Select(e => ((string)e.Key, e.Value as string ?? string.Empty))
                     .Where(v => !Ignored.Contains(v.Item1))
                     .OrderBy(v => v.Item1, StringComparer.Ordinal))
        {
            text.Append("var:").Append(name).Append('=').Append(value).Append('\0');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
