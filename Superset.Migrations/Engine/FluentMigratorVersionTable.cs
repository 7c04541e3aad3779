using Npgsql;

namespace Superset.Migrations.Engine;

/// <summary>One row of FluentMigrator's <c>VersionInfo</c>.</summary>
public sealed record VersionInfoRow(long Version, DateTimeOffset? AppliedOn, string? Description);

/// <summary>
/// FluentMigrator's own version table, <c>public."VersionInfo"</c> (its default <c>IVersionTableMetaData</c>). A database
/// migrated by FluentMigrator's runner has it (<c>adopt</c> takes such a database over), and a real history's migrations
/// may work on it (alter a column of it, say). Where it exists, or where a pending migration names it, the engine keeps
/// it in step with <c>migrations.history</c>, in the same transaction as each migration, so that FluentMigrator's runner,
/// and any code that reads the table, still sees the truth.
/// </summary>
public static class FluentMigratorVersionTable
{
    public const string Table = "VersionInfo";

    /// <summary>How FluentMigrator's PostgreSQL generator names it in a migration's SQL.</summary>
    public const string QuotedName = "\"" + Table + "\"";

    /// <summary>The table and its unique index, as FluentMigrator's runner creates them.</summary>
    public const string CreateSql = """
        CREATE TABLE IF NOT EXISTS public."VersionInfo" ("Version" bigint NOT NULL, "AppliedOn" timestamp, "Description" varchar(1024));
        CREATE UNIQUE INDEX IF NOT EXISTS "UC_Version" ON public."VersionInfo" ("Version")
        """;

    public static string InsertSql(KnownMigration migration) =>
        $"INSERT INTO public.\"VersionInfo\" (\"Version\", \"AppliedOn\", \"Description\") VALUES ({migration.Version}, now(), {MigrationHistory.Literal(migration.Description)})";

    public static string DeleteSql(long version) => $"DELETE FROM public.\"VersionInfo\" WHERE \"Version\" = {version}";

    /// <summary>Whether a migration's statements work on the table (it then has to exist before they run).</summary>
    public static bool IsNamedBy(MigrationScript script) =>
        script.Steps.Any(step => step is ScriptStep.Sql sql && sql.Statement.Contains(QuotedName, StringComparison.Ordinal));

    /// <summary>Whether any of these migrations' Up() works on the table (scripted offline; those that cannot be are not counted).</summary>
    public static bool IsNamedByAny(MigrationScripter scripter, IEnumerable<KnownMigration> migrations) =>
        migrations.Any(migration =>
        {
            try
            {
                return migration.IsVersioned && IsNamedBy(scripter.Script(migration, FluentMigrator.MigrationDirection.Up));
            }
            catch (Exception ex) when (ex is DynamicMigrationException or MigrationException)
            {
                return false;
            }
        });

    /// <summary>
    /// Whether a run keeps the table in step: where it exists (a database FluentMigrator's runner migrated), and where a
    /// pending migration works on it (a real history may alter it): it is then created first, as FluentMigrator's runner
    /// would have.
    /// </summary>
    public static async Task<bool> PrepareAsync(
        NpgsqlConnection connection, MigrationPlan plan, RunKind kind, IReadOnlyList<KnownMigration> migrations, MigrationScripter scripter,
        CancellationToken cancellationToken)
    {
        if (plan.KeepsVersionInfo)
        {
            return true;
        }

        if (kind == RunKind.Downgrade || !IsNamedByAny(scripter, migrations))
        {
            return false;
        }

        await Connection.SqlCommands.ExecuteAsync(connection, CreateSql, cancellationToken: cancellationToken);
        return true;
    }

    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass('public.\"VersionInfo\"') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Its rows by version; empty when the table does not exist.</summary>
    public static async Task<IReadOnlyList<VersionInfoRow>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(connection, cancellationToken))
        {
            return [];
        }

        await RequireDefaultLayoutAsync(connection, cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT \"Version\"::bigint, \"AppliedOn\", \"Description\"::text FROM public.\"VersionInfo\" ORDER BY \"Version\"", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<VersionInfoRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new VersionInfoRow(
                reader.GetInt64(0),
                // timestamp (FluentMigrator's default, written in UTC) or timestamptz (after a migration changed it).
                reader.IsDBNull(1) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc)),
                reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return rows;
    }

    /// <summary>
    /// Refuses, in one line that names the table and what to do, a <c>VersionInfo</c> of another layout than FluentMigrator's
    /// default (a custom <c>VersionTableMetaData</c>: other column names, a text version), which would otherwise end in a
    /// raw 42703 or a cast error on every command.
    /// </summary>
    private static async Task RequireDefaultLayoutAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT attname::text, format_type(atttypid, atttypmod), atttypid::regtype::text IN ('bigint', 'integer', 'smallint', 'numeric')
            FROM pg_attribute WHERE attrelid = 'public."VersionInfo"'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """, connection);
        var columns = new List<string>();
        var versionIsNumber = false;
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add($"{reader.GetString(0)} {reader.GetString(1)}");
                names.Add(reader.GetString(0));
                versionIsNumber |= reader.GetString(0) == "Version" && reader.GetBoolean(2);
            }
        }

        if (!names.IsSupersetOf(["Version", "AppliedOn", "Description"]) || !versionIsNumber)
        {
            throw new MigrationException(MigrationErrorKind.Refused,
                $"public.\"VersionInfo\" is not FluentMigrator's default version table (it has {string.Join(", ", columns)}; expected \"Version\" bigint, \"AppliedOn\", \"Description\"): " +
                "it was made with a custom VersionTableMetaData. Rename it out of the way (ALTER TABLE public.\"VersionInfo\" RENAME TO \"VersionInfoCustom\"), then record where the database is with 'stamp VERSION' or 'adopt'.");
        }
    }
}
