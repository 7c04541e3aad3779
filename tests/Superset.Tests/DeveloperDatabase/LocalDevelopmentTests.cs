using Npgsql;
using Superset.Migrations.DeveloperDatabase;

namespace Superset.Tests.DeveloperDatabase;

/// <summary>What counts as a developer's own database (reset, seed, snapshot restore without --force): pure logic.</summary>
[Trait("Category", "Unit")]
public sealed class LocalDevelopmentTests
{
    [Theory]
    [InlineData("localhost", null, null)]
    [InlineData("127.0.0.1", "Development", null)]
    [InlineData("::1", "development", null)]
    [InlineData("/var/run/postgresql", null, null)]
    [InlineData("127.0.0.1", "Production", "the environment is Production (DOTNET_ENVIRONMENT), not Development")]
    [InlineData("db.internal", null, "the database is on db.internal, not on this machine")]
    [InlineData("localhost,db-replica", null, "the database is on localhost,db-replica, not on this machine")]
    [InlineData("10.0.0.5", "Development", "the database is on 10.0.0.5, not on this machine")]
    public void A_database_is_a_local_development_one_on_this_machine_outside_other_environments(string host, string? environment, string? whyNot)
    {
        var database = new NpgsqlConnectionStringBuilder { Host = host, Database = "superset" };

        Assert.Equal(whyNot, LocalDevelopment.WhyNot(name => name == "DOTNET_ENVIRONMENT" ? environment : null, database));
    }

    [Fact]
    public void Asp_net_cores_environment_counts_when_dotnets_is_not_set()
    {
        var database = new NpgsqlConnectionStringBuilder { Host = "localhost" };

        Assert.Equal("the environment is Staging (ASPNETCORE_ENVIRONMENT), not Development",
            LocalDevelopment.WhyNot(name => name == "ASPNETCORE_ENVIRONMENT" ? "Staging" : null, database));
    }

    [Theory]
    [InlineData("before-experiment", true)]
    [InlineData("v2_with_rows", true)]
    [InlineData("-leading-dash", false)]
    [InlineData("has space", false)]
    [InlineData("quote'd", false)]
    [InlineData("a-name-that-is-far-too-long-to-keep", false)]
    public void Snapshot_names_are_letters_digits_dashes_and_underscores(string name, bool valid) =>
        Assert.Equal(valid, DatabaseSnapshots.IsValidName(name));
}
