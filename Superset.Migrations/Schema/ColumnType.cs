using System.Globalization;
using System.Text.RegularExpressions;

namespace Superset.Migrations.Schema;

/// <summary>
/// A column's type in one canonical spelling (<c>varchar(200)</c>, <c>timestamp</c>, <c>numeric(10,2)</c>), whether it
/// came from a model property, a catalog's <c>format_type</c> or a <c>[ColumnType]</c>.
/// </summary>
public sealed partial record ColumnType(string Name, int? Length = null, int? Precision = null, int? Scale = null)
{
    public static readonly ColumnType Integer = new("integer");
    public static readonly ColumnType BigInt = new("bigint");
    public static readonly ColumnType SmallInt = new("smallint");
    public static readonly ColumnType Boolean = new("boolean");
    public static readonly ColumnType Text = new("text");
    public static readonly ColumnType Timestamp = new("timestamp");
    public static readonly ColumnType TimestampTz = new("timestamptz");
    public static readonly ColumnType Date = new("date");
    public static readonly ColumnType Time = new("time");
    public static readonly ColumnType Double = new("double precision");
    public static readonly ColumnType Real = new("real");
    public static readonly ColumnType Uuid = new("uuid");
    public static readonly ColumnType Bytea = new("bytea");

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["int"] = "integer", ["int4"] = "integer", ["serial"] = "integer", ["int8"] = "bigint", ["bigserial"] = "bigint",
        ["int2"] = "smallint", ["bool"] = "boolean", ["character varying"] = "varchar", ["character"] = "char",
        ["timestamp without time zone"] = "timestamp", ["timestamp with time zone"] = "timestamptz",
        ["time without time zone"] = "time", ["float8"] = "double precision", ["float4"] = "real",
        ["decimal"] = "numeric",
    };

    public static ColumnType Varchar(int length) => new("varchar", Length: length);

    public static ColumnType Numeric(int precision, int scale) => new("numeric", Precision: precision, Scale: scale);

    public bool IsInteger => Name is "integer" or "bigint" or "smallint";

    /// <summary>The type as PostgreSQL's DDL spells it.</summary>
    public string Sql => Name switch
    {
        "varchar" or "char" => Length is { } length ? $"{Name}({length})" : Name,
        "numeric" => Precision is { } precision ? $"numeric({precision},{Scale ?? 0})" : "numeric",
        _ => Name,
    };

    /// <summary>Reads a type as <c>format_type</c> prints it, or as a person writes it in <c>[ColumnType]</c>.</summary>
    public static ColumnType Parse(string sql)
    {
        var match = TypePattern().Match(sql.Trim());
        if (!match.Success)
        {
            return new ColumnType(sql.Trim().ToLowerInvariant());
        }

        var name = match.Groups["name"].Value.Trim().ToLowerInvariant();
        name = Aliases.GetValueOrDefault(name, name);
        int? first = match.Groups["first"].Success ? int.Parse(match.Groups["first"].Value, CultureInfo.InvariantCulture) : null;
        int? second = match.Groups["second"].Success ? int.Parse(match.Groups["second"].Value, CultureInfo.InvariantCulture) : null;
        var suffix = match.Groups["suffix"].Value.Trim().ToLowerInvariant();
        if (suffix.Length > 0)
        {
            // "timestamp(3) without time zone" and friends.
            name = Aliases.GetValueOrDefault($"{name} {suffix}", $"{name} {suffix}");
        }

        return name switch
        {
            "varchar" or "char" => new ColumnType(name, Length: first),
            "numeric" => first is null ? new ColumnType(name) : Numeric(first.Value, second ?? 0),
            _ => new ColumnType(name),
        };
    }

    /// <summary>The type a model property implies, or null when it implies none.</summary>
    public static ColumnType? FromClr(Type type, int? maxLength, (int Precision, int Scale)? precision)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(int) => Integer,
            _ when type == typeof(long) => BigInt,
            _ when type == typeof(short) => SmallInt,
            _ when type == typeof(bool) => Boolean,
            _ when type == typeof(string) => maxLength is { } length ? Varchar(length) : Text,
            _ when type == typeof(DateTime) => Timestamp,
            _ when type == typeof(DateTimeOffset) => TimestampTz,
            _ when type == typeof(DateOnly) => Date,
            _ when type == typeof(TimeOnly) => Time,
            _ when type == typeof(decimal) => precision is { } p ? Numeric(p.Precision, p.Scale) : new ColumnType("numeric"),
            _ when type == typeof(double) => Double,
            _ when type == typeof(float) => Real,
            _ when type == typeof(Guid) => Uuid,
            _ when type == typeof(byte[]) => Bytea,
            _ => null,
        };
    }

    /// <summary>Whether changing from <paramref name="from"/> to this type can lose or reject existing values.</summary>
    public bool NarrowsFrom(ColumnType from)
    {
        if (Sql == from.Sql)
        {
            return false;
        }

        int Rank(ColumnType t) => t.Name switch { "smallint" => 1, "integer" => 2, "bigint" => 3, _ => 0 };
        return (Name, from.Name) switch
        {
            ("varchar", "varchar") => Length < from.Length,
            ("varchar", "text") => true,
            ("numeric", "numeric") => Precision < from.Precision || Scale < from.Scale,
            _ when IsInteger && from.IsInteger => Rank(this) < Rank(from),
            ("text", "varchar") => false,
            _ => true,
        };
    }

    public override string ToString() => Sql;

    [GeneratedRegex(@"^(?<name>[a-zA-Z][a-zA-Z0-9 _]*?)\s*(\(\s*(?<first>\d+)\s*(,\s*(?<second>\d+)\s*)?\))?(?<suffix>\s+with(out)?\s+time\s+zone)?$")]
    private static partial Regex TypePattern();
}
