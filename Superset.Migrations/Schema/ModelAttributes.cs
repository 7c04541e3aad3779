namespace Superset.Migrations.Schema;

// The attributes a model class uses to describe its table. Everything has a convention, so a model says only what
// differs: the column name is the property's in snake_case, the type follows the property's type, nullability
// follows C#'s (string? is NULL, string is NOT NULL), and an integer primary key is an identity column.

/// <summary>This class is a table (named here) whose schema migrations must produce.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TableAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>The column's name, when it is not the property's name in snake_case.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ColumnAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// Part of the primary key (mark several properties for a composite key). An integer key is an identity column
/// unless <see cref="Identity"/> is false.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PrimaryKeyAttribute : Attribute
{
    public bool Identity { get; init; } = true;

    /// <summary>The constraint's name; PostgreSQL's <c>&lt;table&gt;_pkey</c> by default.</summary>
    public string? Name { get; init; }
}

/// <summary>A string of at most this many characters: <c>varchar(n)</c> rather than <c>text</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxLengthAttribute(int length) : Attribute
{
    public int Length { get; } = length;
}

/// <summary>A decimal's precision and scale: <c>numeric(precision, scale)</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PrecisionAttribute(int precision, int scale = 0) : Attribute
{
    public int Precision { get; } = precision;

    public int Scale { get; } = scale;
}

/// <summary>A PostgreSQL type the property's type does not imply, such as <c>jsonb</c> or <c>inet</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ColumnTypeAttribute(string sqlType) : Attribute
{
    public string SqlType { get; } = sqlType;
}

/// <summary>A server default, as SQL: <c>[Default(Sql.Now)]</c>, <c>[Default("'light'")]</c>, <c>[Default("0")]</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute(string sql) : Attribute
{
    public string Sql { get; } = sql;
}

/// <summary>
/// A unique constraint: on a property, that column alone; on the class, the columns named
/// (<c>[Unique("uq_tags_owner_name", nameof(OwnerId), nameof(Name))]</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class UniqueAttribute : Attribute
{
    public UniqueAttribute()
    {
        Properties = [];
    }

    public UniqueAttribute(string name, params string[] properties)
    {
        Name = name;
        Properties = properties;
    }

    /// <summary>The constraint's name; PostgreSQL's <c>&lt;table&gt;_&lt;columns&gt;_key</c> by default.</summary>
    public string? Name { get; init; }

    public IReadOnlyList<string> Properties { get; }
}

/// <summary>
/// An index: on a property, that column alone; on the class, the columns named
/// (<c>[Index("ix_posts_author_created", nameof(AuthorId), nameof(CreatedAt))]</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class IndexAttribute : Attribute
{
    public IndexAttribute()
    {
        Properties = [];
    }

    public IndexAttribute(string name, params string[] properties)
    {
        Name = name;
        Properties = properties;
    }

    /// <summary>The index's name; <c>ix_&lt;table&gt;_&lt;columns&gt;</c> by default.</summary>
    public string? Name { get; init; }

    public IReadOnlyList<string> Properties { get; }

    public bool Unique { get; init; }
}

/// <summary>What happens to referencing rows when the referenced row is deleted.</summary>
public enum OnDelete
{
    NoAction,
    Cascade,
    SetNull,
    Restrict,
}

/// <summary>A foreign key to <typeparamref name="TReferenced"/>'s primary key: <c>[References&lt;User&gt;]</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ReferencesAttribute<TReferenced> : Attribute, IReferencesAttribute
{
    public OnDelete OnDelete { get; init; } = OnDelete.NoAction;

    /// <summary>The constraint's name; PostgreSQL's <c>&lt;table&gt;_&lt;column&gt;_fkey</c> by default.</summary>
    public string? Name { get; init; }

    public Type Referenced => typeof(TReferenced);
}

/// <summary>What the model reader needs of <see cref="ReferencesAttribute{TReferenced}"/>, whatever its type argument.</summary>
public interface IReferencesAttribute
{
    Type Referenced { get; }

    OnDelete OnDelete { get; }

    string? Name { get; }
}

/// <summary>Common server defaults.</summary>
public static class Sql
{
    /// <summary>The current time: <c>now()</c>.</summary>
    public const string Now = "now()";
}
