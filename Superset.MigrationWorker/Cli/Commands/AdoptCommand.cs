using System.CommandLine;
using Superset.Migrations.Adoption;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary>
/// <c>adopt [--baseline VERSION]</c>: takes over a database FluentMigrator's runner or Flask-Migrate migrated, once its
/// schema is what this code's migrations produce; exit 4, nothing written, when it is not.
/// </summary>
internal sealed class AdoptCommand : ICliCommand
{
    private readonly Option<long?> Baseline = new("--baseline")
    {
        Description = "For a database without FluentMigrator's VersionInfo (Flask-Migrate's alembic_version, or none): the migration of this code its schema corresponds to.",
        HelpName = "VERSION",
        CustomParser = result => CliOptions.ParseVersion(result, "--baseline"),
    };

    public AdoptCommand()
    {
        Command = new("adopt",
            "Take over a database another runner migrated (FluentMigrator's VersionInfo, or --baseline): compare its schema with what the migrations produce, then record them as applied.")
        {
            Baseline,
        };
    }

    public Command Command { get; }

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var server = (await context.Database.ResolveAsync(cancellationToken)).ConnectionString;
        await using var connection = await context.Database.OpenAsync(cancellationToken);
        context.Output.Line("🔎 Comparing the database's schema with what this code's migrations produce, in a throwaway database of the same server…");
        var adopted = await new DatabaseAdoption(context.Migrations.Engine).AdoptAsync(connection, server, context.Value(Baseline), cancellationToken);
        var result = new AdoptResult(await context.Database.DescribeAsync(cancellationToken), adopted.Recorded.Select(MigrationRef.From).ToArray(), adopted.From,
            adopted.Current is null ? null : MigrationRef.From(adopted.Current));
        context.Output.Report(result, static json => json.AdoptResult, () =>
        {
            context.Output.Line($"✅ Adopted {result.Database}: the schema matches; {adopted.Recorded.Count} migration(s) recorded as applied ({adopted.From}).");
            context.Output.Line(Format.CurrentVersion(adopted.Current));
            context.Output.Line("   The other runner's version table is left as it is; FluentMigrator's VersionInfo is kept in step from now on.");
        });
        return ExitCodes.Success;
    }
}
