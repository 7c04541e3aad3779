using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Answers;

/// <summary>
/// What a command that only reports the migration plan (<c>status</c>, <c>current</c>, <c>history</c>, <c>heads</c>) printed, and everything that
/// answer depends on besides its command line, folder and variables (those name the file): the files it was decided by,
/// and a query over the database whose value changes whenever anything the plan read does. The command line writes it
/// when the quick front (<c>QuickAnswer/</c>) asks; the front prints it again, without starting the runtime or loading the
/// migrations, only while every file is unchanged and the query still returns the same value. It holds no password: the
/// front reads one where the command did (the local cluster's password file, or the variable the database came from).
/// It holds no SQL either: the front builds the query from which version tables exist (<see cref="HistoryTables"/>).
/// The file is readable and writable by its owner only, and carries a keyed checksum of its contents
/// (<see cref="AnswerKey"/>): an answer altered, truncated, or written by anybody but the command line is not trusted.
/// This file is compiled into both programs, so that both read and write one format.
/// </summary>
internal sealed record StoredAnswer(
    int Format,
    string ConnectionString,
    string? PasswordFile,
    string? PasswordVariable,
    HistoryTables Tables,
    string Fingerprint,
    IReadOnlyList<InputFileState> Inputs,
    IReadOnlyList<OutputChunk> Output,
    int ExitCode)
{
    /// <summary>Raised whenever what is stored or how it is checked changes: an older answer is then not used.</summary>
    public const int CurrentFormat = 2;

    /// <summary>Set by the front for the command it hands over to: the file to keep the answer in.</summary>
    public const string FileVariable = "SUPERSET_ANSWER_FILE";

    /// <summary>
    /// The stored answer, or null when there is none to trust: missing, unreadable, of another format, writable by others,
    /// its checksum not matching what it says (altered or truncated), or incomplete.
    /// </summary>
    public static StoredAnswer? Read(string path)
    {
        try
        {
            if (!AnswerKey.IsOwnerOnly(path) || AnswerKey.Read(Path.GetDirectoryName(path)!) is not { } key)
            {
                return null;
            }

            var bytes = File.ReadAllBytes(path);
            var mac = HMACSHA256.HashSizeInBytes;
            if (bytes.Length <= mac || !CryptographicOperations.FixedTimeEquals(bytes.AsSpan(0, mac), HMACSHA256.HashData(key, bytes.AsSpan(mac))))
            {
                return null;
            }

            var answer = JsonSerializer.Deserialize(bytes.AsSpan(mac), StoredAnswerJson.Default.StoredAnswer);
            return answer is { Format: CurrentFormat, ConnectionString: not null, Fingerprint: not null, Inputs: not null, Output: not null }
                   && answer.Inputs.All(i => i?.Path is not null) && answer.Output.All(o => o?.Text is not null)
                ? answer
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes it whole, owner-only, with its checksum, renamed into place: a reader never sees half of one. A failure only
    /// costs the next run its speed, and leaves no file behind.
    /// </summary>
    public void Write(string path)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            var folder = Path.GetDirectoryName(path)!;
            Directory.CreateDirectory(folder);
            if (AnswerKey.ReadOrCreate(folder) is not { } key)
            {
                return;
            }

            var json = JsonSerializer.SerializeToUtf8Bytes(this, StoredAnswerJson.Default.StoredAnswer);
            using (var file = new FileStream(temporary, AnswerKey.OwnerOnly(FileMode.Create)))
            {
                file.Write(HMACSHA256.HashData(key, json));
                file.Write(json);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Kept for speed only: the next command answers in full.
            try
            {
                File.Delete(temporary);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // Old files of the cache are removed after two weeks (CacheFiles).
            }
        }
    }
}

/// <summary>
/// The key of the answers' checksums: random, made once per cache folder by whoever keeps the first answer, readable by
/// its owner only. A key that others may read or write is not used: then no answer is trusted, and none is kept.
/// </summary>
internal static class AnswerKey
{
    private const string FileName = ".key";

    public static byte[]? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path) || !IsOwnerOnly(path))
        {
            return null;
        }

        var key = File.ReadAllBytes(path);
        return key.Length == 32 ? key : null;
    }

    public static byte[]? ReadOrCreate(string folder)
    {
        if (Read(folder) is { } key)
        {
            return key;
        }

        var path = Path.Combine(folder, FileName);
        if (File.Exists(path))
        {
            return null; // One we may not trust: say nothing, keep nothing.
        }

        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var file = new FileStream(temporary, OwnerOnly(FileMode.CreateNew)))
        {
            file.Write(RandomNumberGenerator.GetBytes(32));
        }

        // Two first writers at once: the first key in place wins, and both use it.
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException)
        {
            File.Delete(temporary);
        }

        return Read(folder);
    }

    /// <summary>A new file readable and writable by its owner alone, from its first byte.</summary>
    public static FileStreamOptions OwnerOnly(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>Whether only its owner may read or write the file (always so where there are no Unix modes).</summary>
    public static bool IsOwnerOnly(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) == 0;
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
