using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Superset.Migrations.Connection;
using Superset.Migrations.LocalServer;

namespace Superset.AppHost.Postgres;

/// <summary>The <c>superset</c> database, however it is provided, and what the backup step needs to know of it.</summary>
internal sealed record SupersetPostgres(
    PostgresMode Mode,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResource>? Server,
    LocalPostgresCluster? LocalCluster,
    string? ContainerImage);

internal static class SupersetPostgresExtensions
{
    /// <summary>The database (and the connection string name every service reads).</summary>
    public const string DatabaseName = ConnectionResolver.ConnectionName;

    /// <summary>Pinned so that a restart never moves the data to another major version; the same as the local binaries.</summary>
    public const string ContainerImageTag = "15.18";

    public const string ContainerRegistry = "docker.io";

    public const string ContainerImage = "library/postgres";

    /// <summary>
    /// Adds PostgreSQL and the <c>superset</c> database in the mode <c>Postgres:Mode</c> asks for
    /// (<c>auto</c>, <c>container</c>, <c>local</c>, <c>external</c>); publishing always uses the container.
    /// </summary>
    public static SupersetPostgres AddSupersetPostgres(this IDistributedApplicationBuilder builder)
    {
        var configuration = builder.Configuration.GetSection("Postgres");
        var requested = ParseMode(configuration["Mode"]);
        var lifetime = ParseLifetime(configuration["Lifetime"]);
        var binaries = PostgresBinaries.Find(configuration["BinDirectory"]);

        var mode = builder.ExecutionContext.IsPublishMode ? PostgresMode.Container : requested switch
        {
            PostgresMode.Auto when ContainerRuntime.Answers() => PostgresMode.Container,
            PostgresMode.Auto when binaries is not null => PostgresMode.Local,
            PostgresMode.Auto => throw new DistributedApplicationException(
                $"PostgreSQL is not available: no container runtime answers ('{ContainerRuntime.Name} info' failed) and no PostgreSQL binaries were found. {PostgresBinaries.InstallHint}"),
            PostgresMode.Local when binaries is null => throw new DistributedApplicationException(
                $"Postgres:Mode is local but no PostgreSQL binaries were found{(configuration["BinDirectory"] is { } dir ? $" in {dir}" : "")}. {PostgresBinaries.InstallHint}"),
            _ => requested,
        };

        var postgres = mode switch
        {
            PostgresMode.Container => AddContainer(builder, lifetime),
            PostgresMode.Local => AddLocal(builder, binaries!, configuration, lifetime),
            _ => AddExternal(builder),
        };

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Superset.AppHost");
            logger.LogInformation("PostgreSQL mode: {Mode}{Requested}", mode.ToString().ToLowerInvariant(),
                requested == PostgresMode.Auto && !builder.ExecutionContext.IsPublishMode ? " (chosen by auto)" : string.Empty);
            return Task.CompletedTask;
        });

        return postgres;
    }

    /// <summary>
    /// Waits for the database to be healthy, and fails at once when it cannot be. With the dashboard on, Aspire's
    /// default is to go on waiting for a failed resource (to be restarted from the dashboard); a server that failed to
    /// start, or exited, would keep the steps and the web app waiting forever, with nothing on screen saying why.
    /// </summary>
    public static IResourceBuilder<T> WaitForDatabase<T>(this IResourceBuilder<T> resource, SupersetPostgres postgres)
        where T : IResourceWithWaitSupport =>
        resource.WaitFor(postgres.Database, WaitBehavior.StopOnResourceUnavailable);

    private static SupersetPostgres AddContainer(IDistributedApplicationBuilder builder, PostgresLifetime lifetime)
    {
        var server = builder.AddPostgres("postgres")
            .WithImageRegistry(ContainerRegistry)
            .WithImage(ContainerImage, ContainerImageTag)
            .WithDataVolume("superset-postgres-data")
            // Outlives the AppHost, as in the aspire-samples and eShop: the next F5 finds it running. Its password is
            // a generated parameter, kept in the AppHost's user secrets, so the persistent container keeps accepting it.
            .WithLifetime(lifetime == PostgresLifetime.Persistent ? ContainerLifetime.Persistent : ContainerLifetime.Session)
            .WithAnnotation(new ResourceSnapshotAnnotation(new CustomResourceSnapshot
            {
                ResourceType = "Container",
                Properties = [new("superset.postgres.mode", "container")],
            }));
        var database = server.AddDatabase(DatabaseName);
        return new SupersetPostgres(PostgresMode.Container, database, server, null, $"{ContainerRegistry}/{ContainerImage}:{ContainerImageTag}");
    }

    private static SupersetPostgres AddLocal(IDistributedApplicationBuilder builder, PostgresBinaries binaries, IConfiguration configuration, PostgresLifetime lifetime)
    {
        var stateDirectory = configuration["DataDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, builder.AppHostDirectory)
            : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", LocalDevelopmentDatabase.RelativeStateDirectory));
        var port = ParsePort(configuration["Port"]);

        // The port: Postgres:Port, else the one saved in cluster.conf, else one of the checkout's own, so that two
        // checkouts run side by side.
        var cluster = LocalPostgresCluster.OpenAsync(stateDirectory, binaries, port).GetAwaiter().GetResult();
        var server = builder.AddLocalPostgres("postgres", cluster, lifetime);

        // Postgres:DatabasePerBranch: superset_<branch>, first a copy of superset; the command line follows the choice.
        var perBranch = configuration.Flag("DatabasePerBranch", defaultValue: false);
        BranchDatabase.SaveChoice(stateDirectory, perBranch);
        var branch = perBranch
            ? configuration["Branch"] is { Length: > 0 } given ? given : BranchDatabase.CurrentBranch(Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..")))
            : null;
        var database = branch is null
            ? server.AddDatabase(DatabaseName)
            : server.AddDatabase(DatabaseName, BranchDatabase.NameFor(LocalDevelopmentDatabase.DatabaseName, branch),
                template: BranchDatabase.TemplateFor(stateDirectory, LocalDevelopmentDatabase.DatabaseName), branch);
        return new SupersetPostgres(PostgresMode.Local, database, server, cluster, null);
    }

    private static SupersetPostgres AddExternal(IDistributedApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(DatabaseName)))
        {
            throw new DistributedApplicationException(
                $"Postgres:Mode is external but ConnectionStrings:{DatabaseName} is not set: give it in the AppHost's configuration (user secrets or environment).");
        }

        var database = builder.AddConnectionString(DatabaseName);
        return new SupersetPostgres(PostgresMode.External, database, null, null, null);
    }

    private static PostgresLifetime ParseLifetime(string? value) =>
        string.IsNullOrWhiteSpace(value) ? PostgresLifetime.Persistent
        : Enum.TryParse<PostgresLifetime>(value, ignoreCase: true, out var lifetime) ? lifetime
        : throw new DistributedApplicationException($"Postgres:Lifetime '{value}' is not one of persistent, session.");

    private static int? ParsePort(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 ? port
        : throw new DistributedApplicationException($"Postgres:Port '{value}' is not a TCP port (1 to 65535).");

    private static PostgresMode ParseMode(string? value) =>
        string.IsNullOrWhiteSpace(value) ? PostgresMode.Auto
        : Enum.TryParse<PostgresMode>(value, ignoreCase: true, out var mode) ? mode
        : throw new DistributedApplicationException($"Postgres:Mode '{value}' is not one of auto, container, local, external.");
}
