using Superset.Migrations.Settings;
using Npgsql;
using Superset.Migrations.Connection;

namespace Superset.Tests.Connection;

[Trait("Category", "Unit")]
public sealed class DatabaseUriTests
{
    public static TheoryData<string, string, int, string?, string?, string, SslMode> Valid => new()
    {
        { "postgresql://superset:superset@localhost:5432/superset", "localhost", 5432, "superset", "superset", "superset", SslMode.Prefer },
        { "postgres://u:p@db.example.com/meta", "db.example.com", 5432, "u", "p", "meta", SslMode.Prefer },
        { "postgresql+psycopg2://u:p@10.0.0.5:6543/meta", "10.0.0.5", 6543, "u", "p", "meta", SslMode.Prefer },
        { "postgresql://us%40er:p%3Ass%2Fw%40rd@h/db", "h", 5432, "us@er", "p:ss/w@rd", "db", SslMode.Prefer },
        { "postgresql://u:p@h:5433/db?sslmode=require", "h", 5433, "u", "p", "db", SslMode.Require },
        { "postgresql://u:p@h/db?sslmode=verify-full&application_name=superset&connect_timeout=5", "h", 5432, "u", "p", "db", SslMode.VerifyFull },
        { "postgresql://u@[::1]:5432/db", "::1", 5432, "u", null, "db", SslMode.Prefer },
        { "postgresql:///db?host=/var/run/postgresql&user=me", "/var/run/postgresql", 5432, "me", null, "db", SslMode.Prefer },
        { "Host=h;Port=5433;Username=u;Password=p;Database=db", "h", 5433, "u", "p", "db", SslMode.Prefer },
        { "  postgresql://u:p@h/db  ", "h", 5432, "u", "p", "db", SslMode.Prefer },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_settings_become_npgsql_connection_strings(string value, string host, int port, string? user, string? password, string database, SslMode sslMode)
    {
        var builder = DatabaseUri.Parse(value);

        Assert.Equal(host, builder.Host);
        Assert.Equal(port, builder.Port);
        Assert.Equal(user, builder.Username);
        Assert.Equal(password, builder.Password);
        Assert.Equal(database, builder.Database);
        Assert.Equal(sslMode, builder.SslMode);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "", "empty" },
        { "mysql://u:secret@h/db", "Unsupported database URI scheme 'mysql://'" },
        { "http://u:secret@h/db", "Unsupported database URI scheme" },
        { "postgresql://u:secret@h:notaport/db", "port 'notaport' is not a number" },
        { "postgresql://u:secret@h:0/db", "port '0' is not a number from 1 to 65535" },
        { "postgresql://u:secret@h:70000/db", "from 1 to 65535" },
        { "postgresql://u:secret@h/", "names no database" },
        { "postgresql://u:secret@h", "names no database" },
        { "postgresql://u:secret@h/db?sslmode=sometimes", "Unknown sslmode 'sometimes'" },
        { "postgresql://u:secret@h/db?frobnicate=1", "Unsupported query parameter 'frobnicate'" },
        { "postgresql://u:sec%zzret@h/db", "invalid percent-encoding" },
        { "postgresql://u:secret@[::1/db", "no closing ']'" },
        { "postgresql://u:secret@h/db?connect_timeout=soon", "connect_timeout 'soon'" },
        { "Host=h;Password=secret;Frobnicate=1", "Malformed connection string" },
        { "Password=secret;Database=db", "names no Host" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_settings_are_one_line_that_never_shows_the_password(string value, string message)
    {
        var error = Assert.Throws<InvalidConnectionException>(() => DatabaseUri.Parse(value));

        Assert.Contains(message, error.Message);
        Assert.DoesNotContain("secret", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("sqlite:///superset.db")]
    [InlineData("sqlite://")]
    [InlineData("SQLite:///tmp/x.db")]
    [InlineData("sqlite+pysqlite:///x.db")]
    public void Sqlite_is_refused_in_the_seed_s_words(string value)
    {
        var error = Assert.Throws<SqliteNotSupportedException>(() => DatabaseUri.Parse(value));

        Assert.Equal("SQLite not supported for migrations", error.Message);
    }

    [Fact]
    public void The_seed_s_variables_come_first_then_aspire_s()
    {
        var variables = new Dictionary<string, string?>
        {
            ["ConnectionStrings__superset"] = "Host=aspire;Database=superset",
            ["SQLALCHEMY_DATABASE_URI"] = "postgresql://u@seed/superset",
        };

        Assert.Equal("SQLALCHEMY_DATABASE_URI", ConnectionResolver.FromConfiguration(SettingsReader.FromVariables(variables))!.Source);

        variables["SUPERSET__SQLALCHEMY_DATABASE_URI"] = "postgresql://u@superset/superset";
        Assert.Equal("SUPERSET__SQLALCHEMY_DATABASE_URI", ConnectionResolver.FromConfiguration(SettingsReader.FromVariables(variables))!.Source);

        Assert.Equal("ConnectionStrings__superset",
            ConnectionResolver.FromConfiguration(SettingsReader.FromVariables(new Dictionary<string, string?> { ["ConnectionStrings__superset"] = "Host=a" }))!.Source);
    }

    [Fact]
    public void Redact_hides_the_password_of_uris_and_connection_strings()
    {
        Assert.Equal("postgresql://u:***@h/db", DatabaseUri.Redact("postgresql://u:secret@h/db"));
        Assert.DoesNotContain("secret", DatabaseUri.Redact("Host=h;Username=u;Password=secret;Database=db"));
    }
}
