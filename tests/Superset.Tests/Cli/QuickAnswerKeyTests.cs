extern alias quick;
using System.Collections;
using QuickAnswerFile = quick::Superset.MigrationWorker.Cli.Answers.AnswerFile;
using KeptAnswerCheck = quick::Superset.MigrationWorker.QuickAnswer.KeptAnswerCheck;

namespace Superset.Tests.Cli;

/// <summary>The quick front's pure parts: which answer a command line meets, and where its password is read.</summary>
public sealed class QuickAnswerKeyTests
{
    private static readonly string[] Status = ["/x/Superset.MigrationWorker.dll", "status"];

    private static Hashtable Variables(params (string Name, string Value)[] extra)
    {
        var variables = new Hashtable { ["HOME"] = "/home/dev", ["SQLALCHEMY_DATABASE_URI"] = "postgresql://u:p@h/db", ["_"] = "/usr/bin/bash", ["SHLVL"] = "1" };
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return variables;
    }

    [Fact]
    public void The_same_command_line_in_the_same_world_meets_the_same_answer_whatever_the_shell_keeps_for_itself()
    {
        var first = QuickAnswerFile.For(Status, "/src/superset", Variables());
        var again = QuickAnswerFile.For(Status, "/src/superset", Variables(("_", "/usr/bin/env"), ("SHLVL", "3"), ("OLDPWD", "/tmp")));

        Assert.Equal(first, again);
        Assert.StartsWith(Path.Combine("/home/dev", ".cache", "superset-migrations", "answers") + "/", first);
        Assert.StartsWith("/cache/superset-migrations/answers/", QuickAnswerFile.For(Status, "/src/superset", Variables(("XDG_CACHE_HOME", "/cache"))));
    }

    [Fact]
    public void Anything_else_the_command_is_given_meets_another_answer()
    {
        var key = QuickAnswerFile.Key(Status, "/src/superset", Variables());

        Assert.NotEqual(key, QuickAnswerFile.Key(["/x/Superset.MigrationWorker.dll", "status", "--json"], "/src/superset", Variables()));
        Assert.NotEqual(key, QuickAnswerFile.Key(["/x/Superset.MigrationWorker.dll", "current"], "/src/superset", Variables()));
        Assert.NotEqual(key, QuickAnswerFile.Key(["/y/Superset.MigrationWorker.dll", "status"], "/src/superset", Variables()));
        Assert.NotEqual(key, QuickAnswerFile.Key(Status, "/src/superset-b", Variables()));
        Assert.NotEqual(key, QuickAnswerFile.Key(Status, "/src/superset", Variables(("SQLALCHEMY_DATABASE_URI", "postgresql://u:p@h/other"))));
        Assert.NotEqual(key, QuickAnswerFile.Key(Status, "/src/superset", Variables(("Migrations__Tags", "demo"))));
        // Arguments are delimited: "a b" is not "a", "b".
        Assert.NotEqual(QuickAnswerFile.Key(["a b"], "/", Variables()), QuickAnswerFile.Key(["a", "b"], "/", Variables()));
    }

    [Fact]
    public void Quick_answers_turned_off_or_no_home_for_them_mean_none()
    {
        Assert.Null(QuickAnswerFile.For(Status, "/src", Variables(("SUPERSET_QUICK_ANSWERS", "off"))));
        Assert.Null(QuickAnswerFile.For(Status, "/src", new Hashtable { ["PATH"] = "/usr/bin" }));
    }

    [Theory]
    [InlineData("postgresql://superset:s3cret@db.internal:5432/superset", "s3cret")]
    [InlineData("postgres://superset:p%40ss%3Aw%2Frd@db/superset?sslmode=require", "p@ss:w/rd")]
    [InlineData("postgresql+psycopg2://superset:pw@db/superset", "pw")]
    [InlineData("postgresql://superset@db/superset", null)]
    [InlineData("postgresql://db/superset", null)]
    [InlineData("Host=db;Username=superset;Password=kv-secret;Database=superset", "kv-secret")]
    [InlineData("Host=db;Database=superset", null)]
    [InlineData("not a setting at all ;;==", null)]
    [InlineData("", null)]
    public void The_password_is_read_where_the_setting_keeps_it(string setting, string? password) =>
        Assert.Equal(password, KeptAnswerCheck.PasswordIn(setting));
}
