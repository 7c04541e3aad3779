using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.DependencyInjection;

namespace Superset.AppHost.Telemetry;

/// <summary>
/// With the dashboard off (Aspire's testing builder turns it off), nobody receives the services' telemetry, yet Aspire
/// still gives them an OTLP endpoint: each service then retries a closed port and, on shutdown, waits for its exporter's
/// flush to time out. Measured on a test's stack: its stop took 4.3 to 6.4 s with the endpoint and 1.3 s without. So the
/// services get no endpoint then, and export nothing.
/// </summary>
internal sealed class TelemetryWithoutDashboard : IDistributedApplicationEventingSubscriber
{
    private static readonly string[] OtlpVariables =
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_EXPORTER_OTLP_HEADERS",
    ];

    public Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        if (executionContext.IsRunMode)
        {
            eventing.Subscribe<BeforeStartEvent>((@event, _) =>
            {
                if (@event.Services.GetRequiredService<DistributedApplicationOptions>().DisableDashboard)
                {
                    foreach (var resource in @event.Model.Resources.Where(r => r.HasAnnotationOfType<OtlpExporterAnnotation>()))
                    {
                        // After Aspire's own callback (added with the resource), so this one sees its variables.
                        resource.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                        {
                            foreach (var variable in OtlpVariables)
                            {
                                context.EnvironmentVariables.Remove(variable);
                            }
                        }));
                    }
                }

                return Task.CompletedTask;
            });
        }

        return Task.CompletedTask;
    }
}

internal static class TelemetryWithoutDashboardExtensions
{
    /// <summary>Services export telemetry only when a dashboard receives it.</summary>
    public static IDistributedApplicationBuilder ExportTelemetryOnlyToTheDashboard(this IDistributedApplicationBuilder builder)
    {
        builder.Services.TryAddEventingSubscriber<TelemetryWithoutDashboard>();
        return builder;
    }
}
