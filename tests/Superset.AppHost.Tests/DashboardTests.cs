using Microsoft.Extensions.DependencyInjection;

namespace Superset.AppHost.Tests;

/// <summary>What a developer sees in the dashboard: the migrations' spans, and the worker's commands, which work.</summary>
[Collection(SharedStackCollection.Name)]
[Trait("Category", "Stack")]
public sealed class DashboardTests(OneMigrationInStack shared)
{
    private static readonly string[] AppliedMigrationSpans =
    [
        "migration 20261124110000 add my_new_table",
        "migration 20261124120000 add blog_posts table",
    ];

    [Fact]
    public async Task Spans_reach_the_dashboard_and_the_worker_resource_offers_commands_that_work()
    {
        // One migration in: the stack backed the database up, then applied the other two.
        var stack = shared.Stack;
        var worker = await stack.App.WaitForStateAsync("migrations", StackResources.Done);
        Assert.Equal(0, worker.Snapshot.ExitCode);

        // The worker's run, one span per migration, exported over OTLP to the dashboard the AppHost gave it.
        var spans = await stack.Dashboard.WaitForSpansAsync("migrations", names => AppliedMigrationSpans.All(names.Contains));
        Assert.Contains("migrations upgrade", spans);
        Assert.All(AppliedMigrationSpans, name => Assert.Contains(name, spans));
        Assert.Contains("backup", await stack.Dashboard.WaitForSpansAsync("backup", names => names.Contains("backup")));

        // The commands, enabled now that the worker has finished.
        var commands = (await stack.App.WaitForStateAsync("migrations", KnownResourceStates.Finished, KnownResourceStates.Exited))
            .Snapshot.Commands.ToDictionary(c => c.Name);
        foreach (var name in new[]
                 {
                     "superset-upgrade", "superset-downgrade", "superset-revert-unknown", "superset-backup", "superset-status",
                     "superset-restore-backup", "superset-snapshot-save", "superset-snapshot-restore", "superset-reset", "superset-seed",
                 })
        {
            Assert.True(commands.ContainsKey(name), $"missing command {name}");
        }

        Assert.Contains("Data in the tables and columns the reverted migrations created is lost", commands["superset-downgrade"].ConfirmationMessage);
        Assert.Contains("Everything in it goes (a backup is taken first)", commands["superset-reset"].ConfirmationMessage);
        Assert.Contains("Revert the migrations applied from another branch?", commands["superset-revert-unknown"].ConfirmationMessage);
        var service = stack.App.Services.GetRequiredService<ResourceCommandService>();

        var status = await service.ExecuteCommandAsync("migrations", "superset-status");
        Assert.True(status.Success, status.Message);
        Assert.Contains("✅ Current version: 20261124120000 (add blog_posts table)", status.Data?.Value);
        Assert.Contains("✅ No pending migrations", status.Data?.Value);

        // A backup on demand: a verified file, and its span under the worker, exported by the command line.
        var backup = await service.ExecuteCommandAsync("migrations", "superset-backup");
        Assert.True(backup.Success, backup.Message);
        Assert.Single(Directory.GetFiles(stack.BackupDirectory, $"{stack.DatabaseName}-*-v20261124120000.dump"));
        Assert.Contains("backup", await stack.Dashboard.WaitForSpansAsync("migrations", names => names.Contains("backup")));

        // Nothing pending: the upgrade command says so and changes nothing.
        var upgrade = await service.ExecuteCommandAsync("migrations", "superset-upgrade");
        Assert.True(upgrade.Success, upgrade.Message);
        Assert.Contains("No pending migrations", upgrade.Data?.Value);
        Assert.Equal(3L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
    }
}
