namespace Superset.Tests.Shared;

/// <summary>The one way tests ask whether a table (or another relation, an index) exists.</summary>
public static class Relations
{
    /// <summary><c>SELECT to_regclass('public."name"') IS NOT NULL</c>, quoted as FluentMigrator quotes names.</summary>
    public static string ExistsSql(string name, string schema = "public") =>
        $"SELECT to_regclass('{schema}.{Superset.Migrations.Connection.Identifiers.Quote(name).Replace("'", "''", StringComparison.Ordinal)}') IS NOT NULL";
}
