using System.Text.Json;
using System.Text.Json.Serialization;

namespace Superset.MigrationWorker.Cli.Answers;

/// <summary>
/// What a command that only reports the migration plan (<c>status</c>, <c>current</c>, <c>history</c>, <c>heads</c>) printed, and everything that
/// answer depends on besides its command line, folder and variables (those name the file): the files it was decided by,
/// and a query over the database whose value changes whenever anything the plan read does. The command line writes it
/// when the quick front (<c>QuickAnswer/</c>) asks; the front prints it again, without starting the runtime or loading the
/// migrations, only while every file is unchanged and the query still returns the same value. It holds no password: the
/// front reads one where the command did (the local cluster's password file, or the variable the database came from).
/// This file is compiled into both programs, so that both read and write one format.
/// </summary>
internal sealed record StoredAnswer(
    int Format,
    string ConnectionString,
    string? PasswordFile,
    string? PasswordVariable,
    string FingerprintSql,
    string Fingerprint,
    IReadOnlyList<InputFileState> Inputs,
    IReadOnlyList<OutputChunk> Output,
    int ExitCode)
{
    /// <summary>Raised whenever what is stored or how it is checked changes: an older answer is then not used.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Set by the front for the command it hands over to: the file to keep the answer in.</summary>
    public const string FileVariable = "SUPERSET_ANSWER_FILE";

    /// <summary>The stored answer, or null when there is none usable (missing, unreadable, of another format).</summary>
    public static StoredAnswer? Read(string path)
    {
        try
        {
            var answer = JsonSerializer.Deserialize(File.ReadAllBytes(path), StoredAnswerJson.Default.StoredAnswer);
            return answer?.Format == CurrentFormat ? answer : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Writes it whole, renamed into place: a reader never sees half of one. A failure only costs the next run its speed.</summary>
    public void Write(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(this, StoredAnswerJson.Default.StoredAnswer));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Kept for speed only: the next command answers in full.
        }
    }
}

/// <summary>A file or folder as it was when the answer was given: its length (-1 absent, -2 a folder) and last write.</summary>
internal sealed record InputFileState(string Path, long Length, long LastWriteTicks)
{
    public static InputFileState Of(string path)
    {
        var file = new FileInfo(path);
        if (file.Exists)
        {
            return new InputFileState(path, file.Length, file.LastWriteTimeUtc.Ticks);
        }

        var directory = new DirectoryInfo(path);
        return directory.Exists ? new InputFileState(path, -2, directory.LastWriteTimeUtc.Ticks) : new InputFileState(path, -1, 0);
    }

    public bool IsUnchanged() => Of(Path) == this;
}

/// <summary>Text the command wrote, to stderr or stdout, in the order it wrote it.</summary>
internal sealed record OutputChunk(bool Error, string Text);

[JsonSerializable(typeof(StoredAnswer))]
internal sealed partial class StoredAnswerJson : JsonSerializerContext;
