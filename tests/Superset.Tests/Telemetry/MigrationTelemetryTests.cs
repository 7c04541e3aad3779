using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Superset.Migrations.Engine;
using Superset.Migrations.Telemetry;
using Superset.Tests.Shared;
using Attributes = Superset.Migrations.Telemetry.MigrationTelemetry.Attributes;

namespace Superset.Tests.Telemetry;

/// <summary>
/// What the dashboard receives, captured with OpenTelemetry's in-memory exporter around real runs. Other tests run in
/// parallel and emit on the same source, so everything is picked out by the test's own database (db.namespace).
/// </summary>
[Trait("Category", "Db")]
public sealed class MigrationTelemetryTests : IDisposable
{
    private readonly List<Activity> _spans = [];
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _meters;

    public MigrationTelemetryTests()
    {
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource(MigrationTelemetry.Name).AddInMemoryExporter(_spans).Build();
        _meters = Sdk.CreateMeterProviderBuilder().AddMeter(MigrationTelemetry.Name).AddInMemoryExporter(_metrics).Build();
    }

    [Fact]
    public async Task An_upgrade_of_three_migrations_is_one_run_span_with_three_child_spans_in_order()
    {
        await using var database = await TestDatabases.NewAsync();
        var source = Source(
            MigrationSources.CreateTable(101, "alpha"),
            MigrationSources.CreateTable(102, "beta"),
            Migration(103, "seed alpha", "Insert.IntoTable(\"alpha\").Row(new { id = 1 }).Row(new { id = 2 });"));

        await using (var connection = await database.OpenAsync())
        {
            await new MigrationEngine(source).UpgradeAsync(connection, new UpgradeRequest());
        }

        _tracing.ForceFlush();
        var run = Assert.Single(SpansOf(database), s => s.DisplayName == "migrations upgrade");
        Assert.Equal(ActivityStatusCode.Ok, run.Status);
        Assert.Equal("postgresql", run.GetTagItem(Attributes.DbSystem));
        Assert.Equal(database.Name, run.GetTagItem(Attributes.DbNamespace));
        Assert.Equal("up", run.GetTagItem(Attributes.Direction));
        Assert.Null(run.GetTagItem(Attributes.FromVersion));
        Assert.Equal(103L, run.GetTagItem(Attributes.ToVersion));
        Assert.Equal(3, run.GetTagItem(Attributes.Count));

        var children = _spans.Where(s => s.ParentSpanId == run.SpanId).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(["migration 101 create alpha", "migration 102 create beta", "migration 103 seed alpha"], children.Select(s => s.DisplayName));
        Assert.Equal([101L, 102L, 103L], children.Select(s => (long)s.GetTagItem(Attributes.Version)!));
        Assert.All(children, child =>
        {
            Assert.Equal(ActivityStatusCode.Ok, child.Status);
            Assert.Equal("up", child.GetTagItem(Attributes.Direction));
            Assert.Equal("migrate up", child.GetTagItem(Attributes.DbOperation));
            Assert.True((double)child.GetTagItem(Attributes.DurationMs)! > 0);
            Assert.True(child.StartTimeUtc >= run.StartTimeUtc && child.StartTimeUtc + child.Duration <= run.StartTimeUtc + run.Duration);
        });
        Assert.Equal("create beta", children[1].GetTagItem(Attributes.Description));
        Assert.Equal([0L, 0L, 2L], children.Select(s => (long)s.GetTagItem(Attributes.RowsAffected)!));
    }

    [Fact]
    public async Task A_failing_migration_has_an_error_span_with_the_exception_and_is_counted_as_a_failure()
    {
        await using var database = await TestDatabases.NewAsync();
        var source = Source(MigrationSources.CreateTable(201, "gamma"), Migration(202, "divide by zero", "Execute.Sql(\"SELECT 1/0\");"));

        await using (var connection = await database.OpenAsync())
        {
            await Assert.ThrowsAsync<MigrationFailedException>(() => new MigrationEngine(source).UpgradeAsync(connection, new UpgradeRequest()));
        }

        _tracing.ForceFlush();
        var spans = SpansOf(database);
        var failed = Assert.Single(spans, s => s.DisplayName == "migration 202 divide by zero");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Contains("division by zero", failed.StatusDescription);
        Assert.Equal("22012", failed.GetTagItem(Attributes.ErrorType));
        var exception = Assert.Single(failed.Events, e => e.Name == "exception");
        Assert.Contains(exception.Tags, tag => tag.Key == "exception.type" && ((string)tag.Value!).EndsWith("PostgresException", StringComparison.Ordinal));
        Assert.Equal(ActivityStatusCode.Ok, Assert.Single(spans, s => s.DisplayName == "migration 201 create gamma").Status);
        Assert.Equal(ActivityStatusCode.Error, Assert.Single(spans, s => s.DisplayName == "migrations upgrade").Status);

        _meters.ForceFlush();
        Assert.Equal(1, Sum("superset.migrations.applied", database, ("superset.migration.outcome", "success"), ("superset.migration.direction", "up")));
        Assert.Equal(1, Sum("superset.migrations.applied", database, ("superset.migration.outcome", "failure"), ("superset.migration.direction", "up")));
        Assert.Equal(2, HistogramCount("superset.migration.duration", database));
        Assert.Equal(2, LastGauge("superset.migrations.pending", database));
    }

    [Fact]
    public async Task An_upgrade_and_a_downgrade_record_counts_and_durations_by_direction()
    {
        await using var database = await TestDatabases.NewAsync();
        var source = Source(MigrationSources.CreateTable(301, "delta"), MigrationSources.CreateTable(302, "epsilon"));
        var engine = new MigrationEngine(source);

        await using (var connection = await database.OpenAsync())
        {
            await engine.UpgradeAsync(connection, new UpgradeRequest());
            await engine.DowngradeAsync(connection, new DowngradeRequest());
        }

        _meters.ForceFlush();
        Assert.Equal(2, Sum("superset.migrations.applied", database, ("superset.migration.outcome", "success"), ("superset.migration.direction", "up")));
        Assert.Equal(1, Sum("superset.migrations.applied", database, ("superset.migration.outcome", "success"), ("superset.migration.direction", "down")));
        Assert.Equal(0, Sum("superset.migrations.applied", database, ("superset.migration.outcome", "failure")));
        Assert.Equal(3, HistogramCount("superset.migration.duration", database));
        Assert.Equal(0, LastGauge("superset.migrations.pending", database));
    }

    public void Dispose()
    {
        _tracing.Dispose();
        _meters.Dispose();
    }

    private static MigrationSource Source(params string[] migrations) =>
        MigrationSource.FromAssembly(MigrationCompiler.CompileAndLoad(TestPaths.NewTempDirectory("telemetry"), migrations));

    private static string Migration(long version, string description, string up) => MigrationSources.Migration(version, description, up, ns: "Fixture");

    private List<Activity> SpansOf(TestDatabase database) =>
        _spans.Where(s => (string?)s.GetTagItem(Attributes.DbNamespace) == database.Name).ToList();

    private IEnumerable<MetricPoint> PointsOf(string metric, TestDatabase database, params (string Key, string Value)[] tags)
    {
        // Cumulative temporality: the newest snapshot of a metric holds the totals so far.
        var snapshot = _metrics.LastOrDefault(m => m.Name == metric);
        if (snapshot is null)
        {
            yield break;
        }

        foreach (var point in snapshot.MetricPoints)
        {
            var pointTags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                pointTags[tag.Key] = tag.Value;
            }

            if ((string?)pointTags.GetValueOrDefault(Attributes.DbNamespace) == database.Name
                && tags.All(t => (string?)pointTags.GetValueOrDefault(t.Key) == t.Value))
            {
                yield return point;
            }
        }
    }

    private long Sum(string metric, TestDatabase database, params (string Key, string Value)[] tags) =>
        PointsOf(metric, database, tags).Sum(point => point.GetSumLong());

    private long HistogramCount(string metric, TestDatabase database) =>
        PointsOf(metric, database).Sum(point => point.GetHistogramCount());

    private long LastGauge(string metric, TestDatabase database) =>
        PointsOf(metric, database).Select(point => point.GetGaugeLastValueLong()).Last();
}
