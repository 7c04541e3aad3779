using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Superset.Migrations.Connection;
using Superset.Migrations.LocalServer;
using Superset.Migrations.Settings;

namespace Superset.AppHost.Postgres;

/// <summary>The <c>superset</c> database, however it is provided, and what the steps after it need to know of it.</summary>
/// <param name="Binaries">The machine's PostgreSQL binaries in local mode (the backup step's pg_dump is theirs).</param>
internal sealed record SupersetPostgres(
    PostgresMode Mode,
    IResourceBuilder<IResourceWithConnectionString> Database,
    PostgresBinaries? Binaries,
    string? ContainerImage,
    IsolatedDatabase? Isolated = null);

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
        var settings = builder.ReadSettings<PostgresSettings>(PostgresSettings.Section);
        var binaries = PostgresBinaries.Find(settings.BinDirectory);
        var mode = builder.ExecutionContext.IsPublishMode ? PostgresMode.Container : settings.Mode switch
        {
            PostgresMode.Auto when ContainerRuntime.Answers() => PostgresMode.Container,
            PostgresMode.Auto when binaries is not null => PostgresMode.Local,
            PostgresMode.Auto => throw new DistributedApplicationException(
                $"PostgreSQL is not available: no container engine answers ({ContainerRuntime.Name}) and no PostgreSQL binaries were found. {PostgresBinaries.InstallHint}"),
            PostgresMode.Local when binaries is null => throw new DistributedApplicationException(
                $"Postgres:Mode is local but no PostgreSQL binaries were found{(settings.BinDirectory is { } dir ? $" in {dir}" : "")}. {PostgresBinaries.InstallHint}"),
            PostgresMode.Container when !ContainerRuntime.Answers() => throw new DistributedApplicationException(
                $"Postgres:Mode is container but no container engine answers ({ContainerRuntime.Name}): start it (./scripts/container-engine.sh installs and starts Docker's), or use Postgres:Mode=local."),
            var requested => requested,
        };

        var checkout = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var postgres = mode switch
        {
            PostgresMode.Container => AddContainer(builder, settings, checkout),
            PostgresMode.Local => AddLocal(builder, binaries!, settings, checkout),
            _ => AddExternal(builder),
        };

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Superset.AppHost");
            logger.LogInformation("PostgreSQL mode: {Mode}{Requested}", mode.ToString().ToLowerInvariant(),
                settings.Mode == PostgresMode.Auto && !builder.ExecutionContext.IsPublishMode ? " (chosen by auto)" : string.Empty);
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

    private static SupersetPostgres AddContainer(IDistributedApplicationBuilder builder, PostgresSettings settings, string checkout)
    {
        var image = $"{ContainerRegistry}/{ContainerImage}:{ContainerImageTag}";
        if (builder.ExecutionContext.IsPublishMode)
        {
            // A deployment's server: its password a parameter the deployment supplies, its data a volume of its own.
            var published = builder.AddPostgres("postgres").WithImageRegistry(ContainerRegistry).WithImage(ContainerImage, ContainerImageTag)
                .WithDataVolume("superset-postgres-data");
            return new SupersetPostgres(PostgresMode.Container, published.AddDatabase(DatabaseName), null, image);
        }

        // A test's AppHost: a container of the test's own, without a volume, removed when the AppHost stops; never the
        // developer's container, and no record for the command line.
        if (TestIsolation.For(builder, settings) is not null)
        {
            var isolated = builder.AddPostgres("postgres").WithImageRegistry(ContainerRegistry).WithImage(ContainerImage, ContainerImageTag)
                .WithLifetime(ContainerLifetime.Session);
            return new SupersetPostgres(PostgresMode.Container, isolated.AddDatabase(DatabaseName), null, image);
        }

        // The checkout's own container, volume and host port (two checkouts side by side never share a data directory),
        // and the checkout's password file, the one local mode uses: the command line finds the same database with no
        // setting, through the record written here.
        var container = CheckoutContainer.For(settings.StateDirectory(checkout), image, settings.Port);
        if (container.PortTaken() is { } taken)
        {
            throw new DistributedApplicationException(taken);
        }

        var password = builder.AddParameter("postgres-password", container.Password(), secret: true);
        var server = builder.AddPostgres("postgres", password: password, port: container.Port)
            .WithImageRegistry(ContainerRegistry)
            .WithImage(ContainerImage, ContainerImageTag)
            .WithContainerName(container.Name)
            .WithDataVolume(container.Volume)
            // Outlives the AppHost, as in the aspire-samples and eShop: the next F5 finds it running.
            .WithLifetime(settings.Lifetime == PostgresLifetime.Persistent ? ContainerLifetime.Persistent : ContainerLifetime.Session)
            .WithAnnotation(new ResourceSnapshotAnnotation(new CustomResourceSnapshot
            {
                ResourceType = "Container",
                Properties = [new("superset.postgres.mode", "container")],
            }));
        container.RecordInUse();
        var database = server.AddDatabase(DatabaseName);
        return new SupersetPostgres(PostgresMode.Container, database, null, image);
    }

    private static SupersetPostgres AddLocal(IDistributedApplicationBuilder builder, PostgresBinaries binaries, PostgresSettings settings, string checkout)
    {
        var stateDirectory = settings.StateDirectory(checkout);
        CheckoutContainer.NotInUse(stateDirectory);
        var server = builder.AddLocalPostgres("postgres", stateDirectory, binaries, settings);

        // A test's AppHost: a database of the test's own on the checkout's server, never the developer's.
        if (TestIsolation.For(builder, settings) is { } isolated)
        {
            return new SupersetPostgres(PostgresMode.Local, server.AddDatabase(DatabaseName, isolated: isolated), binaries, null, isolated);
        }

        // Postgres:DatabasePerBranch: superset_<branch>, first a copy of the database used last; the command line
        // follows the choice, which the server's resource records when it opens the cluster.
        var branch = settings.DatabasePerBranch ? settings.Branch is { Length: > 0 } given ? given : BranchDatabase.CurrentBranch(checkout) : null;
        var resource = branch is null
            ? server.AddDatabase(DatabaseName)
            : server.AddDatabase(DatabaseName, BranchDatabase.NameFor(LocalDevelopmentDatabase.DatabaseName, branch),
                template: BranchDatabase.TemplateFor(stateDirectory, LocalDevelopmentDatabase.DatabaseName), branch);
        return new SupersetPostgres(PostgresMode.Local, resource, binaries, null);
    }

    private static SupersetPostgres AddExternal(IDistributedApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(DatabaseName)))
        {
            throw new DistributedApplicationException(
                $"Postgres:Mode is external but ConnectionStrings:{DatabaseName} is not set: give it in the AppHost's configuration (user secrets or environment).");
        }

        var database = builder.AddConnectionString(DatabaseName);
        return new SupersetPostgres(PostgresMode.External, database, PostgresBinaries.Find(requireServer: false), null);
    }
}
