using FluentMigrator.Runner.Generators.Postgres;
using FluentMigrator.Runner.Processors.Postgres;

namespace Superset.Migrations.Connection;

/// <summary>PostgreSQL identifiers quoted the way FluentMigrator quotes them in every migration's SQL.</summary>
public static class Identifiers
{
    public static PostgresQuoter Quoter { get; } = new(new PostgresOptions());

    /// <summary><c>"name"</c>, with embedded double quotes doubled.</summary>
    public static string Quote(string name) => Quoter.Quote(name);
}
