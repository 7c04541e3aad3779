using Npgsql;

namespace Superset.Tests.Shared;

/// <summary>What the version table says, read directly: the tests' independent view of what was applied.</summary>
public static class History
{
    public static async Task<long[]> AppliedVersionsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM migrations.history ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<long>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt64(0));
        }

        return versions.ToArray();
    }
}
