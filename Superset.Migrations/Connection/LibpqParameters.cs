using System.Globalization;
using Npgsql;

namespace Superset.Migrations.Connection;

/// <summary>
/// The libpq parameters a database URI may carry after its <c>?</c> (<c>sslmode</c>, <c>connect_timeout</c>,
/// <c>application_name</c>, …), each set on the Npgsql connection string; an unknown one is refused, naming it.
/// </summary>
internal static class LibpqParameters
{
    public static void Apply(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key)
        {
            case "sslmode":
                builder.SslMode = value switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw new InvalidConnectionException($"Unknown sslmode '{value}': use disable, allow, prefer, require, verify-ca or verify-full."),
                };
                break;
            case "sslrootcert":
                builder.RootCertificate = value;
                break;
            case "sslcert":
                builder.SslCertificate = value;
                break;
            case "sslkey":
                builder.SslKey = value;
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "connect_timeout":
                builder.Timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var timeout)
                    ? timeout
                    : throw new InvalidConnectionException($"connect_timeout '{value}' is not a number of seconds.");
                break;
            case "options":
                builder.Options = value;
                break;
            case "target_session_attrs":
                builder.TargetSessionAttributes = value;
                break;
            case "host":
                builder.Host = value;
                break;
            case "port":
                builder.Port = DatabaseUri.ParsePort(value);
                break;
            case "user":
                builder.Username = value;
                break;
            case "password":
                builder.Password = value;
                break;
            case "dbname":
                builder.Database = value;
                break;
            default:
                throw new InvalidConnectionException($"Unsupported query parameter '{key}' in the database URI.");
        }
    }
}
