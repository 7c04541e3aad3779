using System.Text;
using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Answers;

/// <summary>
/// Keeps what a command that only reports the plan printed, for the quick front to print again (see
/// <see cref="StoredAnswer"/>): only when the front asked (<see cref="StoredAnswer.FileVariable"/>), the command ended
/// normally, and nothing was done on the way that the next command would not do again (a server started, a database
/// made), nor is expected of each run (its spans, when telemetry is exported).
/// </summary>
internal sealed class AnswerRecorder(string path)
{
    private readonly List<OutputChunk> _output = [];
    private StoredAnswer? _basis;
    private IReadOnlyList<InputFileState> _build = [];

    /// <summary>A recorder when the front asked for the answer and <paramref name="command"/> only reports the plan; else null.</summary>
    public static AnswerRecorder? For(ICliCommand command, CliEnvironment environment) =>
        command is IReportsPlanOnly && environment.GetVariable(StoredAnswer.FileVariable) is { Length: > 0 } path
                                    && !CliTelemetry.IsConfigured(environment.GetVariable)
            ? new AnswerRecorder(path)
            : null;

    /// <summary>The same world, its two streams also written into the answer.</summary>
    public CliEnvironment Recording(CliEnvironment environment) => environment with
    {
        Out = new RecordingWriter(environment.Out, this, error: false),
        Error = new RecordingWriter(environment.Error, this, error: true),
    };

    /// <summary>What the plan was read from: the connection it was read on, and the fingerprint read with it.</summary>
    public void PlanRead(ResolvedConnection resolved, NpgsqlConnection connection, HistoryFingerprint fingerprint, IEnumerable<string> inputFiles)
    {
        if (resolved.Local is { ChangedSomething: true })
        {
            return;
        }

        // Opened, a connection's string no longer holds its password.
        var connectionString = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
        if (connectionString.Password is not null)
        {
            return;
        }

        var build = inputFiles.ToArray();
        _build = build.Select(InputFileState.Of).ToArray();
        var files = build.Concat(resolved.Local?.ChosenBy() ?? resolved.ChosenBy).Distinct(StringComparer.Ordinal).Select(InputFileState.Of).ToList();
        _basis = new StoredAnswer(StoredAnswer.CurrentFormat, connectionString.ConnectionString,
            resolved.Local?.PasswordFile ?? resolved.PasswordFile, resolved.Local is null && resolved.PasswordFile is null ? resolved.Source : null,
            fingerprint.Tables, fingerprint.Value, files, [], ExitCode: 0);
    }

    /// <summary>Keeps the answer when the plan was read and the command ended with <paramref name="exitCode"/>.</summary>
    public void Finished(int exitCode)
    {
        // A file written after this process started (a rebuild landing while it answered: an assembly, deps.json) may be
        // another build than the one that answered: its new stamp must not vouch for this answer.
        if (_basis is not null && _build.All(input => input.Length < 0 || input.LastWriteTicks < StartedTicks()))
        {
            lock (_output)
            {
                (_basis with { Output = [.. _output], ExitCode = exitCode }).Write(path);
            }

            Superset.Migrations.Tools.CacheFiles.RemoveOld(Path.GetDirectoryName(path)!);
        }
    }

    /// <summary>When this process started (UTC ticks), before it loaded any of the files an answer depends on; read only when an answer is kept.</summary>
    private static long StartedTicks()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.StartTime.ToUniversalTime().Ticks;
    }

    private void Add(bool error, string text)
    {
        lock (_output)
        {
            if (_output.Count > 0 && _output[^1].Error == error)
            {
                _output[^1] = _output[^1] with { Text = _output[^1].Text + text };
            }
            else
            {
                _output.Add(new OutputChunk(error, text));
            }
        }
    }

    /// <summary>Writes through to the real stream, and into the answer.</summary>
    private sealed class RecordingWriter(TextWriter inner, AnswerRecorder recorder, bool error) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            inner.Write(value);
            recorder.Add(error, value.ToString());
        }

        public override void Write(string? value)
        {
            inner.Write(value);
            recorder.Add(error, value ?? string.Empty);
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string? value) => Write(value + new string(CoreNewLine));

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override void Flush() => inner.Flush();
    }
}

/// <summary>
/// A command whose output depends only on the migration plan, its own options and the files and database the plan came
/// from: its answer may be kept and printed again (<see cref="AnswerRecorder"/>).
/// </summary>
internal interface IReportsPlanOnly;
