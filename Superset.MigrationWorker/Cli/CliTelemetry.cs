using System.Runtime.CompilerServices;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Superset.Migrations.Telemetry;

namespace Superset.MigrationWorker.Cli;

/// <summary>
/// Exports the command line's spans and metrics over OTLP when an endpoint is configured, as it is when the Aspire
/// dashboard runs a command on the worker's resource; a developer's terminal sets none and pays nothing for it.
/// </summary>
internal static class CliTelemetry
{
    /// <summary>Where spans and metrics go; unset, none are exported.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static bool IsConfigured(Func<string, string?> variable) => !string.IsNullOrWhiteSpace(variable(EndpointVariable));

    public static IDisposable? ExportIfConfigured() => IsConfigured(Environment.GetEnvironmentVariable) ? StartExporting() : null;

    // Not inlined: the OpenTelemetry assemblies load only when this runs, which keeps `status` fast in a terminal.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IDisposable StartExporting()
    {
        // The exporter reads OTEL_EXPORTER_OTLP_*, the resource OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES: under
        // the AppHost those of the worker, so the dashboard files the command's spans under the worker's resource.
        var tracing = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(NameService)
            .AddSource(MigrationTelemetry.Name, "Npgsql")
            .AddOtlpExporter()
            .Build();
        var metrics = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(NameService)
            .AddMeter(MigrationTelemetry.Name)
            .AddOtlpExporter()
            .Build();
        return new Providers(tracing, metrics);
    }

    private static void NameService(ResourceBuilder resource)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")))
        {
            resource.AddService("manage_migrations", autoGenerateServiceInstanceId: false);
        }
    }

    /// <summary>Disposing flushes what is still buffered before the process exits.</summary>
    private sealed class Providers(TracerProvider tracing, MeterProvider metrics) : IDisposable
    {
        public void Dispose()
        {
            tracing.Dispose();
            metrics.Dispose();
        }
    }
}
