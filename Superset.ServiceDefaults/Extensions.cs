using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Adds the services every Superset service shares: OpenTelemetry (with the migration stack's own source and
/// meter), default health checks, service discovery and resilient HTTP clients.
/// </summary>
public static class Extensions
{
    /// <summary>
    /// The ActivitySource and Meter of the migration engine (<c>Superset.Migrations.Telemetry.MigrationTelemetry.Name</c>),
    /// named here so that this project stays free of the engine; a test keeps the two equal.
    /// </summary>
    public const string MigrationTelemetryName = "Superset.Migrations";

    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();

        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();

        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Turn on resilience by default
            http.AddStandardResilienceHandler();

            // Turn on service discovery by default
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(MigrationTelemetryName);
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(builder.Environment.ApplicationName)
                    .AddSource(MigrationTelemetryName)
                    .AddAspNetCoreInstrumentation(aspNetCore =>
                        // Health probes every few seconds would bury the requests people look for.
                        aspNetCore.Filter = context =>
                            !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                            && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                    .AddHttpClientInstrumentation();
            });

        builder.AddOpenTelemetryExporters();

        return builder;
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var endpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var useOtlpExporter = !string.IsNullOrWhiteSpace(endpoint);

        if (useOtlpExporter)
        {
            // Aspire turns on in-memory retry; when the dashboard stops first, a service's last export would retry
            // against a closed port for the default 10 s and hold up every shutdown. A collector on loopback answers
            // in milliseconds, so there a short timeout loses nothing; a remote collector keeps the default.
            if (builder.Configuration["OTEL_EXPORTER_OTLP_TIMEOUT"] is null
                && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.IsLoopback)
            {
                builder.Configuration.AddInMemoryCollection([new("OTEL_EXPORTER_OTLP_TIMEOUT", "2000")]);
            }

            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            // A liveness check that only says the process answers.
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Mapped in every environment: a deployment's readiness and liveness probes (Kubernetes, Compose, Azure) ask
        // them. Only Development (or Health:Details=true) shows each check's description, which names the database and
        // the schema's version; elsewhere the answer is the status alone (200 or 503).
        var details = app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("Health:Details");

        // Ready: every check passes (the database answers and its schema is at this build's head).
        app.MapHealthChecks(HealthEndpointPath, details ? new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync } : new HealthCheckOptions());

        // Alive: only the checks tagged "live" (the process answers).
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live")
        });

        return app;
    }
}
