using Npgsql;

namespace Superset.Migrations.Seeding;

/// <summary>
/// Rows a developer's database starts with (never a deployment's): a class beside the migrations, found in the same
/// assembly, run once per database after the upgrade in Development (the AppHost's worker, <c>seed</c>, <c>reset</c>).
/// Each runs in a transaction with the row that records it in <c>migrations.seeds</c>, so a second F5 adds nothing and a
/// seed that fails leaves nothing behind. It is written against the schema at head; a seed that has run does not run
/// again when it is edited (a <c>reset</c> does).
/// </summary>
public abstract class DevelopmentSeed
{
    /// <summary>Its name in <c>migrations.seeds</c>: unique, and kept once it has run.</summary>
    public abstract string Name { get; }

    /// <summary>The dataset it belongs to: F5 and <c>reset</c> run the default one; <c>seed --dataset NAME</c> another.</summary>
    public virtual string Dataset => SeedCatalog.DefaultDataset;

    /// <summary>Writes the rows, on a connection whose transaction the runner commits with the record of this seed.</summary>
    public abstract Task RunAsync(NpgsqlConnection connection, CancellationToken cancellationToken);
}
