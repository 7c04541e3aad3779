namespace Superset.Migrations.Engine;

/// <summary>
/// Which version tables a database has, and one query whose answer changes whenever anything a plan reads changes:
/// which version tables exist, the history's columns, and every row of the tables that exist (whole rows: more than a
/// plan reads, never less). A table dropped since makes the query fail, one made since changes the first part. For a
/// command's answer kept for the next identical command: this file is compiled into the quick front too, which builds
/// the query from these three facts itself and so never runs SQL read from a file.
/// </summary>
public readonly record struct HistoryTables(bool HasHistory, bool HasVersionInfo, bool HasAlembicVersion)
{
    private const string HistoryTable = "migrations.history";

    public string FingerprintSql()
    {
        var parts = new List<string>
        {
            "current_database()",
            $"to_regclass('{HistoryTable}') IS NOT NULL",
            "to_regclass('public.\"VersionInfo\"') IS NOT NULL",
            "to_regclass('public.alembic_version') IS NOT NULL",
            $"array(SELECT attname::text FROM pg_attribute WHERE attrelid = to_regclass('{HistoryTable}') AND attnum > 0 AND NOT attisdropped ORDER BY attnum)::text",
        };
        if (HasHistory)
        {
            parts.Add($"(SELECT md5(string_agg(h::text, E'\\n' ORDER BY h.applied_order)) FROM {HistoryTable} h)");
        }

        if (HasVersionInfo)
        {
            parts.Add("(SELECT md5(string_agg(v::text, E'\\n' ORDER BY v::text)) FROM public.\"VersionInfo\" v)");
        }

        if (HasAlembicVersion)
        {
            parts.Add("(SELECT md5(string_agg(a::text, E'\\n' ORDER BY a::text)) FROM public.alembic_version a)");
        }

        return $"SELECT md5(concat_ws(E'\\n', {string.Join(", ", parts)}))";
    }
}
