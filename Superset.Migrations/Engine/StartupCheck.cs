using Npgsql;
using Superset.Migrations.Backup;

namespace Superset.Migrations.Engine;

/// <summary>What an F5 has to do before the web app may start, as the AppHost decides it without starting a process.</summary>
public enum StartupWork
{
    /// <summary>Every migration is applied, none is unknown or edited: neither the backup nor the migration step runs.</summary>
    None,

    /// <summary>Migrations to apply (or a refusal to report) on a database with nothing in it yet: no backup, then the worker.</summary>
    MigrateOnly,

    /// <summary>Migrations to apply (or a refusal to report): the backup step, then the worker.</summary>
    BackUpThenMigrate,
}

/// <summary>The decision and the sentence the dashboard shows for it.</summary>
public sealed record StartupCheck(StartupWork Work, string Reason)
{
    /// <summary>
    /// Reads the database (the history and, when something is to be done, whether it holds anything) and decides. It
    /// takes no lock and writes nothing; anything but a database that is plainly at head runs the worker, which then
    /// applies, or refuses with its own message, exactly as it would have.
    /// </summary>
    /// <param name="seedDataset">The development seeds the worker runs after the upgrade (null: none); seeds it has not run are work too.</param>
    public static async Task<StartupCheck> RunAsync(MigrationEngine engine, NpgsqlConnection connection, CancellationToken cancellationToken = default, string? seedDataset = null)
    {
        var plan = await engine.PlanAsync(connection, cancellationToken);
        if (plan.AdoptionNotice is { } adopt)
        {
            // The worker refuses, and says so where the developer looks: nothing is changed, so nothing is backed up.
            return new StartupCheck(StartupWork.MigrateOnly, adopt);
        }

        var changed = engine.Checksums.FindChanged(plan);
        if (plan.Pending.Count == 0 && plan.Unknown.Count == 0 && changed.Count == 0 && !engine.Source.RunsOnEveryUpgrade)
        {
            // Seeds add rows to a database at head: no backup is needed for them.
            if (seedDataset is not null && await Seeding.SeedRunner.PendingAsync(connection, Seeding.SeedCatalog.Of(engine.Source), seedDataset, cancellationToken) is { Count: > 0 } seeds)
            {
                return new StartupCheck(StartupWork.MigrateOnly, $"development seed data to add: {string.Join(", ", seeds)}");
            }

            return new StartupCheck(StartupWork.None,
                plan.Current is { } current ? $"nothing pending: the database is at {current.Version} ({current.Description})" : "nothing pending: this build has no migrations");
        }

        var what = plan.Unknown.Count > 0 ? $"{plan.Unknown.Count} migration(s) unknown to this build"
            : changed.Count > 0 ? $"{changed.Count} applied migration(s) edited since"
            : plan.Pending.Count > 0 ? $"{plan.Pending.Count} migration(s) pending"
            : "maintenance or profile migrations run on every upgrade";
        return await DatabaseContents.IsEmptyAsync(connection, cancellationToken)
            ? new StartupCheck(StartupWork.MigrateOnly, $"{what}; {DatabaseContents.NothingToBackUp}")
            : new StartupCheck(StartupWork.BackUpThenMigrate, what);
    }
}
