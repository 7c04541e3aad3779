using Npgsql;

namespace Superset.Migrations.Engine;

/// <summary>Which other migration runner left its version table in a database.</summary>
public enum ForeignRunner
{
    /// <summary>FluentMigrator's own runner: <c>public."VersionInfo"</c>.</summary>
    FluentMigrator,

    /// <summary>Alembic (the Flask-Migrate script this stack replaces): <c>public.alembic_version</c>.</summary>
    Alembic,
}

/// <summary>
/// Another runner's version table found in a database: a database that was migrated by FluentMigrator's runner or by
/// Flask-Migrate before this engine met it. Until <c>adopt</c> records its migrations in <c>migrations.history</c>, the
/// engine refuses to run migration 1 on top of it.
/// </summary>
/// <param name="Versions">What the table records: FluentMigrator's versions, or Alembic's one revision (as text).</param>
public sealed record ForeignVersionTable(ForeignRunner Runner, IReadOnlyList<VersionInfoRow> Versions, string? AlembicRevision)
{
    public string Table => Runner == ForeignRunner.FluentMigrator ? $"public.{FluentMigratorVersionTable.QuotedName}" : "public.alembic_version";

    /// <summary>Whether it records anything: an empty table (a runner that created it and stopped) has nothing to adopt.</summary>
    public bool RecordsAnything => Runner == ForeignRunner.FluentMigrator ? Versions.Count > 0 : AlembicRevision is not null;

    /// <summary>One line: who migrated the database, to where.</summary>
    public string Describe() => Runner == ForeignRunner.FluentMigrator
        ? $"FluentMigrator's runner ({Table}: {Versions.Count} version(s), the newest {Versions[^1].Version})"
        : $"Flask-Migrate/Alembic ({Table} at revision {AlembicRevision})";

    /// <summary>What to run: <c>adopt</c>, with <c>--baseline</c> for Alembic (its revisions are not this code's versions).</summary>
    public string AdoptCommand => Runner == ForeignRunner.FluentMigrator
        ? "'manage_migrations.sh adopt'"
        : "'manage_migrations.sh adopt --baseline VERSION' (VERSION: the migration of this code the database's schema corresponds to)";

    /// <summary>
    /// The version table another runner left, when one is there with something in it (FluentMigrator's first); null when
    /// there is none. <paramref name="tables"/> says which exist (read with the history, in the same round trip).
    /// </summary>
    public static async Task<ForeignVersionTable?> ReadAsync(NpgsqlConnection connection, HistoryTables tables, CancellationToken cancellationToken)
    {
        if (tables.HasVersionInfo)
        {
            var rows = await FluentMigratorVersionTable.ReadAsync(connection, cancellationToken);
            if (rows.Count > 0)
            {
                return new ForeignVersionTable(ForeignRunner.FluentMigrator, rows, null);
            }
        }

        if (tables.HasAlembicVersion)
        {
            await using var command = new NpgsqlCommand("SELECT version_num::text FROM public.alembic_version LIMIT 1", connection);
            if (await command.ExecuteScalarAsync(cancellationToken) is string revision)
            {
                return new ForeignVersionTable(ForeignRunner.Alembic, [], revision);
            }
        }

        return null;
    }
}
