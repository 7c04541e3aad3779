using System.Globalization;

namespace Superset.Migrations.Autogenerate;

/// <summary>Versions for new migrations: the UTC time as yyyyMMddHHmmss, always after every version there is.</summary>
public static class MigrationVersion
{
    private const string Format = "yyyyMMddHHmmss";

    /// <param name="utcNow">Now.</param>
    /// <param name="taken">Versions of compiled migrations and of migration files not compiled yet.</param>
    public static long Next(DateTime utcNow, IEnumerable<long> taken)
    {
        var used = taken.ToHashSet();
        var version = long.Parse(utcNow.ToString(Format, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

        // A clock behind the newest version would make the new migration out of order from the start.
        var newest = used.Count == 0 ? 0 : used.Max();
        if (version <= newest)
        {
            version = After(newest);
        }

        while (used.Contains(version))
        {
            version = After(version);
        }

        return version;
    }

    /// <summary>The version a second later when it is a timestamp, else the next number.</summary>
    public static long After(long version) =>
        DateTime.TryParseExact(version.ToString(CultureInfo.InvariantCulture), Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? long.Parse(time.AddSeconds(1).ToString(Format, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : version + 1;

    /// <summary>The version a migration file's name starts with (<c>20261124120000_add_blog_posts_table.cs</c>).</summary>
    public static long? FromFileName(string fileName)
    {
        var prefix = Path.GetFileName(fileName).Split('_', 2)[0];
        return prefix.Length is >= 1 and <= 18 && prefix.All(char.IsAsciiDigit) ? long.Parse(prefix, CultureInfo.InvariantCulture) : null;
    }
}
