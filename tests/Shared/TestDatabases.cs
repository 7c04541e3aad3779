namespace Superset.Tests.Shared;

/// <summary>A database of a test's own on the run's server: the one way tests get one.</summary>
public static class TestDatabases
{
    /// <summary>Empty.</summary>
    public static async Task<TestDatabase> NewAsync() => await (await TestPostgresServer.GetAsync()).CreateDatabaseAsync();

    /// <summary>At head: every app migration applied (copied from a template, not migrated again).</summary>
    public static async Task<TestDatabase> NewMigratedAsync() => await (await TestPostgresServer.GetAsync()).CreateMigratedDatabaseAsync();
}
