namespace Superset.AppHost.Tests;

/// <summary>
/// The tests that only look at a stack (its dashboard, its pages) share one, started once: a database one migration in,
/// which the stack backs up and then migrates to head.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedStackCollection : ICollectionFixture<OneMigrationInStack>
{
    public const string Name = "shared stack";
}
