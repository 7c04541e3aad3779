namespace Superset.AppHost.Tests;

/// <summary>Stacks start one at a time: each runs PostgreSQL, DCP and three .NET processes on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StackCollection
{
    public const string Name = "stack";
}
