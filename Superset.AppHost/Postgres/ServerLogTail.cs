using Microsoft.Extensions.Logging;

namespace Superset.AppHost.Postgres;

/// <summary>
/// The local server's log (<c>server.log</c>, where pg_ctl sends it) shown in the dashboard's console for the resource,
/// as it grows: complete lines only, from where it stood when the AppHost started reading it.
/// </summary>
internal sealed class ServerLogTail(string logFile, ILogger logger)
{
    private long _offset;

    /// <summary>Starts at the end: what the server wrote before is not this run's.</summary>
    public void SkipToEnd() => _offset = Length();

    /// <summary>Writes the lines written since the last call to the resource's console.</summary>
    public void CopyNewLines()
    {
        try
        {
            if (!File.Exists(logFile))
            {
                return;
            }

            using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < _offset)
            {
                _offset = 0; // The log was truncated or replaced.
            }

            stream.Seek(_offset, SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            var complete = text.LastIndexOf('\n');
            if (complete < 0)
            {
                return;
            }

            foreach (var line in text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                logger.LogInformation("{Line}", line.TrimEnd('\r'));
            }

            _offset += System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, complete + 1));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not readable now: the next tick tries again.
        }
    }

    private long Length()
    {
        try
        {
            return File.Exists(logFile) ? new FileInfo(logFile).Length : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
