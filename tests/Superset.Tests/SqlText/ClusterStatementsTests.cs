using Superset.Migrations.SqlText;

namespace Superset.Tests.SqlText;

/// <summary>Which statements act on the whole server, read quote- and comment-aware: pure, no server.</summary>
[Trait("Category", "Unit")]
public sealed class ClusterStatementsTests
{
    [Theory]
    [InlineData("CREATE ROLE app NOLOGIN", "CREATE ROLE")]
    [InlineData("  create user bob", "CREATE USER")]
    [InlineData("ALTER ROLE app SET search_path = x", "ALTER ROLE")]
    [InlineData("DROP DATABASE other", "DROP DATABASE")]
    [InlineData("CREATE DATABASE x TEMPLATE y", "CREATE DATABASE")]
    [InlineData("ALTER DATABASE superset SET timezone = 'UTC'", "ALTER DATABASE")]
    [InlineData("CREATE TABLESPACE fast LOCATION '/ssd'", "CREATE TABLESPACE")]
    [InlineData("ALTER SYSTEM SET work_mem = '64MB'", "ALTER SYSTEM")]
    [InlineData("GRANT CONNECT ON DATABASE superset TO app", "GRANT … ON DATABASE")]
    [InlineData("GRANT readers TO app", "GRANT (role membership)")]
    [InlineData("REVOKE readers FROM app", "REVOKE (role membership)")]
    [InlineData("COMMENT ON ROLE app IS 'x'", "COMMENT ON ROLE")]
    [InlineData("REASSIGN OWNED BY a TO b", "REASSIGN OWNED")]
    [InlineData("/* set up */ -- the role\nCREATE ROLE app", "CREATE ROLE")]
    [InlineData("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'a') THEN CREATE ROLE a; END IF; END $$", "CREATE ROLE")]
    [InlineData("DO $body$ BEGIN EXECUTE 'x'; ALTER SYSTEM SET x = 1; END $body$", "ALTER SYSTEM")]
    public void A_server_wide_statement_is_found(string sql, string expected) =>
        Assert.Equal([expected], ClusterStatements.Find(sql));

    [Theory]
    [InlineData("CREATE TABLE roles (id int)")]
    [InlineData("GRANT SELECT ON notes TO app")]
    [InlineData("GRANT ALL ON ALL TABLES IN SCHEMA public TO app")]
    [InlineData("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app")]
    [InlineData("INSERT INTO notes (body) VALUES ('CREATE ROLE x; DROP DATABASE y')")]
    [InlineData("INSERT INTO notes (body) VALUES (E'it\\'s; DROP DATABASE y')")]
    [InlineData("-- DROP DATABASE y;\nSELECT 1")]
    [InlineData("/* DROP DATABASE y; /* nested */ ALTER SYSTEM */ SELECT 1")]
    [InlineData("SELECT \"DROP DATABASE x; \" FROM t")]
    [InlineData("CREATE FUNCTION f() RETURNS void AS $$ CREATE ROLE x $$ LANGUAGE sql")]
    [InlineData("COMMENT ON TABLE notes IS 'the role of notes'")]
    public void A_statement_that_stays_in_its_database_is_not(string sql) =>
        Assert.Empty(ClusterStatements.Find(sql));

    [Fact]
    public void Statements_split_at_semicolons_outside_strings_comments_identifiers_and_dollar_bodies()
    {
        var statements = SqlStatementSplitter.Split(
            "INSERT INTO t VALUES ('a;b'); -- c;d\nSELECT \"x;y\"; /* e; */ DO $f$ BEGIN PERFORM 1; END $f$; SELECT $1;");

        Assert.Equal(["INSERT INTO t VALUES ('a;b')", "-- c;d\nSELECT \"x;y\"", "/* e; */ DO $f$ BEGIN PERFORM 1; END $f$", "SELECT $1"], statements.Select(s => s.Text));
        Assert.Equal("INSERT INTO t VALUES ('')", statements[0].Code);
        Assert.Equal([" BEGIN PERFORM 1; END "], statements[2].DollarBodies);
    }
}
