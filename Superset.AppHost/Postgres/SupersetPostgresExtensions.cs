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
            PostgresMode.Container => AddContainer(builder),
            PostgresMode.Local => AddLocal(builder, binaries!, configuration),
            _ => AddExternal(builder),
        };

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Superset.AppHost");
            logger.LogInformation("PostgreSQL mode: {Mode}{Requested}", mode.ToString().ToLowerInvariant(),
                requested == PostgresMode.Auto && !builder.ExecutionContext.IsPublishMode ? " (chosen by auto)" : string.Empty);
            return Task.CompletedTask;
        });

        postgres.Server?.WithAnnotation(new ResourceSnapshotAnnotation(new CustomResourceSnapshot
        {
            ResourceType = mode == PostgresMode.Local ? "Executable" : "Container",
            Properties = [new("superset.postgres.mode", mode.ToString().ToLowerInvariant())],
        }));
        return postgres;
    }

    private static SupersetPostgres AddContainer(IDistributedApplicationBuilder builder)
    {
        var server = builder.AddPostgres("postgres")
            .WithImageRegistry(ContainerRegistry)
            .WithImage(ContainerImage, ContainerImageTag)
            .WithDataVolume("superset-postgres-data");
        var database = server.AddDatabase(DatabaseName);
        return new SupersetPostgres(PostgresMode.Container, database, server, null, $"{ContainerRegistry}/{ContainerImage}:{ContainerImageTag}");
    }

    private static SupersetPostgres AddLocal(IDistributedApplicationBuilder builder, PostgresBinaries binaries, IConfiguration configuration)
    {
        var stateDirectory = configuration["DataDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, builder.AppHostDirectory)
            : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", LocalDevelopmentDatabase.RelativeStateDirectory));
        var port = configuration.GetValue<int?>("Port");

        var cluster = LocalPostgresCluster.OpenAsync(stateDirectory, binaries, port).GetAwaiter().GetResult();
        var server = builder.AddLocalPostgres("postgres", cluster);
        var database = server.AddDatabase(DatabaseName);
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

    private static PostgresMode ParseMode(string? value) =>
        string.IsNullOrWhiteSpace(value) ? PostgresMode.Auto
        : Enum.TryParse<PostgresMode>(value, ignoreCase: true, out var mode) ? mode
        : throw new DistributedApplicationException($"Postgres:Mode '{value}' is not one of auto, container, local, external.");
}
