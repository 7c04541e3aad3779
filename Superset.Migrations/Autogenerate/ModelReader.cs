using System.Reflection;
using System.Text;
using Superset.Migrations.Schema;

namespace Superset.Migrations.Autogenerate;

/// <summary>A model that does not describe a table it can build; the message names the class and property.</summary>
public sealed class InvalidModelException(string message) : Exception(message);

/// <summary>Reads model classes (those with <see cref="TableAttribute"/>) into the schema they describe.</summary>
public static class ModelReader
{
    /// <summary>PostgreSQL cuts identifiers at 63 bytes; default names are cut the same way so that they compare equal.</summary>
    private const int MaxIdentifierLength = 63;

    /// <summary>The app's own models (the Models folder of this library).</summary>
    public static DatabaseSchema App => FromAssembly(typeof(ModelReader).Assembly);

    public static DatabaseSchema FromAssembly(Assembly assembly) =>
        Read(assembly.GetTypes().Where(t => t.GetCustomAttribute<TableAttribute>() is not null));

    public static DatabaseSchema Read(IEnumerable<Type> modelTypes)
    {
        var models = modelTypes.ToArray();
        var tables = models.ToDictionary(t => t, t => t.GetCustomAttribute<TableAttribute>()!.Name);
        var duplicate = tables.GroupBy(t => t.Value).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidModelException($"Two models map to table {duplicate.Key}: {string.Join(" and ", duplicate.Select(d => d.Key.Name))}.");
        }

        return new DatabaseSchema(models.Select(model => ReadTable(model, tables)).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray());
    }

    /// <summary>snake_case of a property name: CreatedAt → created_at, HTTPStatus → http_status.</summary>
    public static string SnakeCase(string name)
    {
        var snake = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var startsWord = char.IsUpper(c) && i > 0 &&
                             (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (startsWord && name[i - 1] != '_')
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(c));
        }

        return snake.ToString();
    }

    private static TableSchema ReadTable(Type model, IReadOnlyDictionary<Type, string> tables)
    {
        var table = tables[model];
        var properties = model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead)
            .OrderBy(p => p.MetadataToken)
            .ToArray();
        var nullability = new NullabilityInfoContext();

        var columns = new List<ColumnSchema>();
        var columnOf = new Dictionary<string, string>();
        var keyColumns = new List<string>();
        string? keyName = null;
        var foreignKeys = new List<ForeignKeySchema>();
        var uniques = new List<UniqueSchema>();
        var indexes = new List<IndexSchema>();

        foreach (var property in properties)
        {
            var name = property.GetCustomAttribute<ColumnAttribute>()?.Name ?? SnakeCase(property.Name);
            var key = property.GetCustomAttribute<PrimaryKeyAttribute>();
            var type = ResolveType(model, property);
            var nullable = key is null && IsNullable(property, nullability);
            var identity = key is not null && key.Identity && type.IsInteger;
            var defaultSql = DefaultSql.Normalize(property.GetCustomAttribute<DefaultAttribute>()?.Sql);

            if (columnOf.ContainsValue(name))
            {
                throw new InvalidModelException($"{model.Name}.{property.Name}: column {name} is mapped twice.");
            }

            columns.Add(new ColumnSchema(name, type, nullable, defaultSql, identity));
            columnOf[property.Name] = name;

            if (key is not null)
            {
                keyColumns.Add(name);
                keyName ??= key.Name;
            }

            if (property.GetCustomAttributes().OfType<IReferencesAttribute>().FirstOrDefault() is { } references)
            {
                if (!tables.TryGetValue(references.Referenced, out var referencedTable))
                {
                    throw new InvalidModelException($"{model.Name}.{property.Name} references {references.Referenced.Name}, which is not a model ([Table]).");
                }

                var referencedKey = references.Referenced.GetProperties()
                    .Where(p => p.GetCustomAttribute<PrimaryKeyAttribute>() is not null)
                    .Select(p => p.GetCustomAttribute<ColumnAttribute>()?.Name ?? SnakeCase(p.Name))
                    .ToArray();
                if (referencedKey.Length != 1)
                {
                    throw new InvalidModelException($"{model.Name}.{property.Name} references {references.Referenced.Name}, which needs a single-column primary key.");
                }

                foreignKeys.Add(new ForeignKeySchema(
                    references.Name ?? Identifier($"{table}_{name}_fkey"), [name], referencedTable, referencedKey, references.OnDelete));
            }

            foreach (var unique in property.GetCustomAttributes<UniqueAttribute>())
            {
                uniques.Add(new UniqueSchema(unique.Name ?? Identifier($"{table}_{name}_key"), [name]));
            }

            foreach (var index in property.GetCustomAttributes<IndexAttribute>())
            {
                indexes.Add(new IndexSchema(index.Name ?? Identifier($"ix_{table}_{name}"), [name], index.Unique));
            }
        }

        foreach (var unique in model.GetCustomAttributes<UniqueAttribute>())
        {
            var names = Columns(model, unique.Properties, columnOf, "[Unique]");
            uniques.Add(new UniqueSchema(unique.Name ?? Identifier($"{table}_{string.Join('_', names)}_key"), names));
        }

        foreach (var index in model.GetCustomAttributes<IndexAttribute>())
        {
            var names = Columns(model, index.Properties, columnOf, "[Index]");
            indexes.Add(new IndexSchema(index.Name ?? Identifier($"ix_{table}_{string.Join('_', names)}"), names, index.Unique));
        }

        var primaryKey = keyColumns.Count == 0 ? null : new PrimaryKeySchema(keyName ?? Identifier($"{table}_pkey"), keyColumns);
        return new TableSchema(
            table,
            columns,
            primaryKey,
            foreignKeys.OrderBy(f => f.Name, StringComparer.Ordinal).ToArray(),
            uniques.OrderBy(u => u.Name, StringComparer.Ordinal).ToArray(),
            indexes.OrderBy(i => i.Name, StringComparer.Ordinal).ToArray());
    }

    private static ColumnType ResolveType(Type model, PropertyInfo property)
    {
        if (property.GetCustomAttribute<ColumnTypeAttribute>() is { } explicitType)
        {
            return ColumnType.Parse(explicitType.SqlType);
        }

        var maxLength = property.GetCustomAttribute<MaxLengthAttribute>()?.Length;
        var precision = property.GetCustomAttribute<PrecisionAttribute>() is { } p ? (p.Precision, p.Scale) : ((int, int)?)null;
        return ColumnType.FromClr(property.PropertyType, maxLength, precision)
            ?? throw new InvalidModelException(
                $"{model.Name}.{property.Name} has type {property.PropertyType.Name}, which maps to no column type: give it [ColumnType(\"...\")].");
    }

    private static bool IsNullable(PropertyInfo property, NullabilityInfoContext context) =>
        property.PropertyType.IsValueType
            ? Nullable.GetUnderlyingType(property.PropertyType) is not null
            : context.Create(property).ReadState != NullabilityState.NotNull;

    private static string[] Columns(Type model, IReadOnlyList<string> properties, IReadOnlyDictionary<string, string> columnOf, string attribute)
    {
        if (properties.Count == 0)
        {
            throw new InvalidModelException($"{model.Name}: {attribute} on a class names its properties: {attribute[..^1]}(\"name\", nameof(A), nameof(B))].");
        }

        return properties.Select(p => columnOf.TryGetValue(p, out var column)
            ? column
            : throw new InvalidModelException($"{model.Name}: {attribute} names {p}, which is not a property of {model.Name}.")).ToArray();
    }

    private static string Identifier(string name) =>
        Encoding.UTF8.GetByteCount(name) <= MaxIdentifierLength ? name : name[..MaxIdentifierLength];
}
