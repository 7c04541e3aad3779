using System.Collections.Immutable;

namespace Superset.AppHost;

internal static class ResourcePropertyExtensions
{
    /// <summary>The properties with <paramref name="name"/> set to <paramref name="value"/>, replacing an earlier value.</summary>
    public static ImmutableArray<ResourcePropertySnapshot> With(this ImmutableArray<ResourcePropertySnapshot> properties, string name, object? value) =>
        [.. properties.Where(p => p.Name != name), new ResourcePropertySnapshot(name, value)];
}
