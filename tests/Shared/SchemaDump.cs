using Npgsql;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Tools;

namespace Superset.Tests.Shared;

/// <summary>A database's schema as pg_dump prints it, for comparing two databases exactly.</summary>
public static class SchemaDump
{
    /// <param name="includeMigrationTables">Whether to keep the engine's own <c>migrations</c> schema.</param>
    public static async Task<string> OfAsync(NpgsqlConnectionStringBuilder connectionString, bool includeMigrationTables = false)
    {
        var binaries = PostgresBinaries.Find() ?? throw new InvalidOperationException(PostgresBinaries.InstallHint);
        var arguments = new List<string>
        {
            "--schema-only", "--no-owner", "--no-privileges",
            "--host", connectionString.Host!, "--port", connectionString.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--username", connectionString.Username!, "--dbname", connectionString.Database!,
        };
        if (!includeMigrationTables)
        {
            arguments.AddRange(["--exclude-schema", "migrations"]);
        }

        var result = await ToolRunner.RunAsync(binaries.PgDump, arguments,
            new Dictionary<string, string?> { ["PGPASSWORD"] = connectionString.Password ?? string.Empty });
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"pg_dump failed: {result.LastError}");
        }

        // Comments and session settings vary with the tool's version and the dump's moment, not with the schema.
        return string.Join('\n', result.StandardOutput.Split('\n')
            .Where(line => !line.StartsWith("--", StringComparison.Ordinal) && !line.StartsWith("SET ", StringComparison.Ordinal)
                           && !line.StartsWith("SELECT pg_catalog.set_config", StringComparison.Ordinal)
                           && !line.StartsWith("\\restrict", StringComparison.Ordinal) && !line.StartsWith("\\unrestrict", StringComparison.Ordinal))
            .Where(line => line.Trim().Length > 0));
    }

    /// <summary>The dump with each table's column lines sorted: for comparing schemas whose columns were re-added.</summary>
    public static string IgnoringColumnOrder(string dump)
    {
        var lines = dump.Split('\n');
        var result = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            result.Add(lines[i]);
            if (!lines[i].StartsWith("CREATE TABLE ", StringComparison.Ordinal))
            {
                continue;
            }

            var columns = new List<string>();
            while (i + 1 < lines.Length && !lines[i + 1].StartsWith(')'))
            {
                columns.Add(lines[++i].TrimEnd(','));
            }

            result.AddRange(columns.Order(StringComparer.Ordinal));
        }

        return string.Join('\n', result);
    }
}
