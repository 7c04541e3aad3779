using Npgsql;
using Superset.MigrationWorker.Cli.Answers;

namespace Superset.MigrationWorker.QuickAnswer;

/// <summary>Whether a kept answer still holds: its files unchanged, and the database's fingerprint query answering the same.</summary>
internal static class KeptAnswerCheck
{
    /// <summary>How long the front waits for the database before handing over: the command line has its own waits and messages.</summary>
    private const int ConnectSeconds = 3;

    /// <summary>Whether every file is as it was and the database still gives the same fingerprint; any failure is a no.</summary>
    public static bool StillHolds(StoredAnswer answer)
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
            using var command = new NpgsqlCommand(answer.Tables.FingerprintSql(), connection);
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
}
