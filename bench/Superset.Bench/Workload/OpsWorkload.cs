using System.Text.Json;

namespace Superset.Bench.Workload;

/// <summary>A migration history in the tool-neutral format <c>superset-bench-ops/1</c> (see ../shared/bench/README.md).</summary>
internal sealed record OpsWorkload(string Path, IReadOnlyList<OpsStep> Steps)
{
    public const string Format = "superset-bench-ops/1";

    public static OpsWorkload Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        if (root.TryGetProperty("format", out var format) && format.GetString() != Format)
        {
            throw new InvalidDataException($"{path}: format '{format.GetString()}', expected '{Format}'");
        }

        return new OpsWorkload(path, root.GetProperty("steps").EnumerateArray().Select(OpsStep.Read).ToArray());
    }
}

/// <summary>One step; <see cref="Columns"/> are a new table's columns, <see cref="Names"/> an index's or constraint's.</summary>
internal sealed record OpsStep(
    string Op,
    string Table,
    long Version,
    string Description,
    IReadOnlyList<OpsColumn> Columns,
    OpsForeignKey? ForeignKey,
    OpsColumn? Column,
    string? Name,
    IReadOnlyList<string> Names)
{
    public static OpsStep Read(JsonElement step)
    {
        var op = step.GetProperty("op").GetString()!;
        var columns = new List<OpsColumn>();
        var names = new List<string>();
        if (step.TryGetProperty("columns", out var list))
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    names.Add(item.GetString()!);
                }
                else
                {
                    columns.Add(OpsColumn.Read(item));
                }
            }
        }

        OpsColumn? column = null;
        if (step.TryGetProperty("column", out var single))
        {
            // An object for add/drop_column; a bare name, with its type beside it, for set_not_null.
            column = single.ValueKind == JsonValueKind.String
                ? new OpsColumn(single.GetString()!, step.GetProperty("type").GetString()!, Nullable: false, Default: null, PrimaryKey: false)
                : OpsColumn.Read(single);
        }

        var foreignKey = step.TryGetProperty("foreign_key", out var fk) && fk.ValueKind == JsonValueKind.Object
            ? new OpsForeignKey(fk.GetProperty("column").GetString()!, fk.GetProperty("references").GetString()!)
            : null;
        return new OpsStep(op, step.GetProperty("table").GetString()!, step.GetProperty("version").GetInt64(),
            step.GetProperty("description").GetString()!, columns, foreignKey, column,
            step.TryGetProperty("name", out var name) ? name.GetString() : null, names);
    }
}

internal sealed record OpsColumn(string Name, string Type, bool Nullable, string? Default, bool PrimaryKey)
{
    public static OpsColumn Read(JsonElement column) => new(
        column.GetProperty("name").GetString()!,
        column.GetProperty("type").GetString()!,
        column.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean(),
        column.TryGetProperty("default", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null,
        column.TryGetProperty("primary_key", out var key) && key.ValueKind == JsonValueKind.True);
}

internal sealed record OpsForeignKey(string Column, string References);
