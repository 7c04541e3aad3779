using System.Globalization;
using Npgsql;

namespace Superset.Migrations.Connection;

/// <summary>A connection setting that cannot be used; the message is one line and never shows a password.</summary>
public class InvalidConnectionException(string message) : Exception(message);

/// <summary>The seed refuses SQLite for the metadata database; so do we, with its words and exit code.</summary>
public sealed class SqliteNotSupportedException()
    : InvalidConnectionException("SQLite not supported for migrations")
{
    public const string Hint = "Use PostgreSQL for metadata database";
}

/// <summary>
/// Reads the database settings Superset users already have: SQLAlchemy URIs (<c>postgresql://</c>,
/// <c>postgres://</c>, <c>postgresql+psycopg2://</c>, with percent-encoded user and password and libpq query
/// parameters such as <c>sslmode</c>) and Npgsql keyword strings (what Aspire injects).
/// </summary>
public static class DatabaseUri
{
    private static readonly string[] PostgresSchemes = ["postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg"];

    public static NpgsqlConnectionStringBuilder Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        value = value.Trim();
        if (value.Length == 0)
        {
            throw new InvalidConnectionException("The database setting is empty.");
        }

        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && value[..colon].StartsWith("sqlite", StringComparison.OrdinalIgnoreCase))
            {
                throw new SqliteNotSupportedException();
            }

            return ParseKeywords(value);
        }

        var scheme = value[..schemeEnd].ToLowerInvariant();
        if (scheme.StartsWith("sqlite", StringComparison.Ordinal))
        {
            throw new SqliteNotSupportedException();
        }

        if (!PostgresSchemes.Contains(scheme))
        {
            throw new InvalidConnectionException(
                $"Unsupported database URI scheme '{scheme}://': use postgresql://user:password@host:port/database.");
        }

        return ParseUri(value[(schemeEnd + 3)..]);
    }

    /// <summary>The setting with its password replaced by <c>***</c>, for messages.</summary>
    public static string Redact(string value)
    {
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            var rest = value[(schemeEnd + 3)..];
            var at = rest.LastIndexOf('@');
            var slash = rest.IndexOf('/');
            if (at >= 0 && (slash < 0 || at < slash))
            {
                var userInfo = rest[..at];
                var colon = userInfo.IndexOf(':');
                if (colon >= 0)
                {
                    return value[..(schemeEnd + 3)] + userInfo[..colon] + ":***" + rest[at..];
                }
            }

            return value;
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(value);
            return Describe(builder);
        }
        catch (ArgumentException)
        {
            return "(unreadable connection string)";
        }
    }

    /// <summary>Where a connection goes, without secrets: <c>user@host:port/database</c>.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"{builder.Username ?? "(default user)"}@{builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? "(default database)"}";

    private static NpgsqlConnectionStringBuilder ParseKeywords(string value)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            throw new InvalidConnectionException($"Malformed connection string: {FirstLine(ex.Message)}");
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new InvalidConnectionException("The connection string names no Host.");
        }

        return builder;
    }

    private static NpgsqlConnectionStringBuilder ParseUri(string rest)
    {
        // An '@' after the first '/' or '?' is the end of a user name or password that holds one of those unencoded:
        // without this, the rest of the password would be read as the port or the database name.
        var lastAt = rest.LastIndexOf('@');
        var firstDelimiter = rest.IndexOfAny(['/', '?']);
        if (lastAt >= 0 && firstDelimiter >= 0 && firstDelimiter < lastAt)
        {
            throw new InvalidConnectionException(
                $"Malformed database URI: the user name or password holds a '{rest[firstDelimiter]}' that is not percent-encoded. " +
                "Encode reserved characters in it: '/' as %2F, '?' as %3F, '#' as %23, '@' as %40, ':' as %3A, '%' as %25.");
        }

        var builder = new NpgsqlConnectionStringBuilder();

        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart >= 0 ? rest[(queryStart + 1)..] : string.Empty;
        rest = queryStart >= 0 ? rest[..queryStart] : rest;

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? Decode(rest[(slash + 1)..], "database name") : string.Empty;

        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Decode(colon >= 0 ? userInfo[..colon] : userInfo, "user name");
            if (colon >= 0)
            {
                builder.Password = Decode(userInfo[(colon + 1)..], "password");
            }
        }

        ParseHosts(authority, builder);
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(equals >= 0 ? pair[..equals] : pair, "query parameter");
            var parameterValue = equals >= 0 ? Decode(pair[(equals + 1)..], key) : string.Empty;
            LibpqParameters.Apply(builder, key, parameterValue);
        }

        if (string.IsNullOrEmpty(builder.Database))
        {
            throw new InvalidConnectionException("The database URI names no database: postgresql://user:password@host:port/DATABASE.");
        }

        return builder;
    }

    private static void ParseHosts(string authority, NpgsqlConnectionStringBuilder builder)
    {
        if (authority.Length == 0)
        {
            builder.Host = "localhost";
            return;
        }

        var hosts = new List<string>();
        foreach (var entry in authority.Split(','))
        {
            string host;
            string? port = null;
            if (entry.StartsWith('['))
            {
                var close = entry.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new InvalidConnectionException("Malformed database URI: an IPv6 host has no closing ']'.");
                }

                host = entry[1..close];
                if (close + 1 < entry.Length)
                {
                    if (entry[close + 1] != ':')
                    {
                        throw new InvalidConnectionException("Malformed database URI: unexpected text after an IPv6 host.");
                    }

                    port = entry[(close + 2)..];
                }
            }
            else
            {
                var colon = entry.IndexOf(':', StringComparison.Ordinal);
                host = colon >= 0 ? entry[..colon] : entry;
                port = colon >= 0 ? entry[(colon + 1)..] : null;
            }

            host = Decode(host, "host");
            if (host.Length == 0)
            {
                host = "localhost";
            }

            if (port is not null)
            {
                var parsed = ParsePort(port);
                hosts.Add(authority.Contains(',') ? $"{host}:{parsed}" : host);
                if (!authority.Contains(','))
                {
                    builder.Port = parsed;
                }
            }
            else
            {
                hosts.Add(host);
            }
        }

        builder.Host = string.Join(',', hosts);
    }

    internal static int ParsePort(string port)
    {
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 65535)
        {
            throw new InvalidConnectionException($"Malformed database URI: port '{port}' is not a number from 1 to 65535.");
        }

        return parsed;
    }

    private static string Decode(string value, string what)
    {
        // Strict, as libpq is: every '%' starts two hexadecimal digits.
        for (var i = value.IndexOf('%', StringComparison.Ordinal); i >= 0; i = value.IndexOf('%', i + 1))
        {
            if (i + 2 >= value.Length || !Uri.IsHexDigit(value[i + 1]) || !Uri.IsHexDigit(value[i + 2]))
            {
                throw new InvalidConnectionException(
                    $"Malformed database URI: the {what} has an invalid percent-encoding (a '%' must start two hexadecimal digits): write a literal '%' as %25.");
            }
        }

        return Uri.UnescapeDataString(value);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
