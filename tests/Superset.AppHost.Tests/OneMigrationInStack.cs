namespace Superset.AppHost.Tests;

/// <summary>
/// A stack whose database was one migration in when it started: the backup step took a backup, the worker applied the
/// other two, and the web app serves. Shared by the tests of <see cref="SharedStackCollection"/>, which only look.
/// </summary>
public sealed class OneMigrationInStack : IAsyncLifetime
{
    public const long StartedAt = 20261124100000;

    private SupersetStack? _stack;

    public SupersetStack Stack => _stack ?? throw new InvalidOperationException("The stack has not started.");

    public async Task InitializeAsync()
    {
        var prepared = await PreparedDatabases.OnSharedServerAsync(StartedAt);
        _stack = await SupersetStack.StartIsolatedWithDashboardAsync($"--Postgres:TestDatabase={prepared}");
        await _stack.App.WaitForHealthyAsync("web");
    }

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
