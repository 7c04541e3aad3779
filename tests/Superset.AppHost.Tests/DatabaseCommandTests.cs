using Microsoft.Extensions.DependencyInjection;

namespace Superset.AppHost.Tests;

/// <summary>
/// The developer's database from the dashboard: commands that take arguments (a version, a snapshot's name, a dataset)
/// and run the command line's own commands through the worker, as the dashboard's dialog would submit them.
/// </summary>
[Trait("Category", "Stack")]
public sealed class DatabaseCommandTests
{
    [Fact]
    public async Task Commands_with_arguments_reach_the_chosen_version_and_save_restore_reset_and_seed()
    {
        await using var stack = await SupersetStack.StartIsolatedAsync();
        await stack.App.WaitForHealthyAsync("web");
        await stack.App.WaitForStateAsync("migrations", KnownResourceStates.Finished);
        var commands = stack.App.Services.GetRequiredService<ResourceCommandService>();

        // A test's database is what a fresh F5 leaves: at head, with the seed data.
        Assert.Equal(3L, await stack.ScalarAsync<long>("SELECT count(*) FROM blog_posts"));

        await RunAsync(commands, "superset-downgrade", ("target", "20261124100000"));
        Assert.Equal(1L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));

        await RunAsync(commands, "superset-snapshot-save", ("name", "one-migration"));
        await RunAsync(commands, "superset-upgrade", ("target", "20261124110000"));
        Assert.Equal(2L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));

        var reset = await RunAsync(commands, "superset-reset");
        Assert.Contains("migrated and seeded", reset);
        Assert.Equal(3L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
        Assert.Equal(3L, await stack.ScalarAsync<long>("SELECT count(*) FROM blog_posts"));

        await RunAsync(commands, "superset-seed", ("dataset", "many-posts"));
        Assert.Equal(3L + Superset.Migrations.Seeds.ManyPostsSeed.Count, await stack.ScalarAsync<long>("SELECT count(*) FROM blog_posts"));

        var restored = await RunAsync(commands, "superset-snapshot-restore", ("snapshot", "one-migration"));
        Assert.Contains("What it replaced is kept as the snapshot 'before-restore'", restored);
        Assert.Equal(1L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));

        // A version that is not among the choices read from the history (the pending ones): refused before anything runs.
        var wrong = await commands.ExecuteCommandAsync("migrations", "superset-upgrade", Arguments(("target", "20991231000000")));
        Assert.False(wrong.Success);
        Assert.Contains("argument validation failed", wrong.Message);
        Assert.Equal(1L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
    }

    private static async Task<string> RunAsync(ResourceCommandService commands, string name, params (string Name, string Value)[] arguments)
    {
        var result = await commands.ExecuteCommandAsync("migrations", name, Arguments(arguments));
        Assert.True(result.Success, $"{name}: {result.Message}\n{result.Data?.Value}");
        return result.Data?.Value ?? "";
    }

    private static InteractionInputCollection Arguments(params (string Name, string Value)[] arguments) =>
        new([.. arguments.Select(a => new InteractionInput { Name = a.Name, InputType = InputType.Text, Value = a.Value })]);
}
