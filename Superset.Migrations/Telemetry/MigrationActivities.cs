using System.Diagnostics;
using FluentMigrator;
using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.Migrations.Telemetry;

/// <summary>The spans and metrics of runs and migrations: how each is named, tagged and ended.</summary>
public static class MigrationActivities
{
    /// <summary>A run's span: <c>migrations upgrade</c> or <c>migrations downgrade</c> (a merge is an upgrade).</summary>
    public static Activity? StartRun(NpgsqlConnection connection, MigrationDirection direction)
    {
        var operation = direction == MigrationDirection.Up ? "upgrade" : "downgrade";
        var activity = MigrationTelemetry.ActivitySource.StartActivity($"migrations {operation}");
        TagDatabase(activity, connection, operation);
        activity?.SetTag(MigrationTelemetry.Attributes.Direction, DirectionTag(direction));
        return activity;
    }

    /// <summary>A migration's span, under the run's; <paramref name="startTime"/> for one that ran in a pipeline.</summary>
    public static Activity? StartMigration(
        NpgsqlConnection connection, MigrationRef migration, bool transactional, MigrationDirection direction, DateTimeOffset startTime = default)
    {
        var activity = MigrationTelemetry.ActivitySource.StartActivity(
            $"migration {migration.Version} {migration.Description}", ActivityKind.Internal, parentContext: default, startTime: startTime);
        TagDatabase(activity, connection, direction == MigrationDirection.Up ? "migrate up" : "migrate down");
        activity?.SetTag(MigrationTelemetry.Attributes.Version, migration.Version);
        activity?.SetTag(MigrationTelemetry.Attributes.Description, migration.Description);
        activity?.SetTag(MigrationTelemetry.Attributes.Direction, DirectionTag(direction));
        activity?.SetTag(MigrationTelemetry.Attributes.Transactional, transactional);
        return activity;
    }

    /// <summary>A migration that completed: its duration and rows on its span, and its metrics.</summary>
    public static void Succeeded(Activity? activity, NpgsqlConnection connection, MigrationOutcome outcome)
    {
        activity?.SetTag(MigrationTelemetry.Attributes.DurationMs, outcome.Duration.TotalMilliseconds);
        activity?.SetTag(MigrationTelemetry.Attributes.RowsAffected, outcome.RowsAffected);
        activity?.SetStatus(ActivityStatusCode.Ok);
        Record(connection, outcome.Direction, "success", outcome.Duration);
    }

    /// <summary>A migration that failed: its duration and error on its span, and its metrics.</summary>
    public static void Failed(Activity? activity, NpgsqlConnection connection, MigrationDirection direction, TimeSpan duration, Exception error)
    {
        activity?.SetTag(MigrationTelemetry.Attributes.DurationMs, duration.TotalMilliseconds);
        activity.RecordFailure(error);
        Record(connection, direction, "failure", duration);
    }

    /// <summary>
    /// Error status, <c>error.type</c> (the SQLSTATE for a PostgreSQL error, else the exception's type) and the exception
    /// as an event: how every span of ours says it failed.
    /// </summary>
    public static void RecordFailure(this Activity? activity, Exception error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(MigrationTelemetry.Attributes.ErrorType, error is PostgresException pg ? pg.SqlState : error.GetType().FullName);
        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.AddException(error);
    }

    public static string DirectionTag(MigrationDirection direction) => direction == MigrationDirection.Up ? "up" : "down";

    private static void Record(NpgsqlConnection connection, MigrationDirection direction, string outcome, TimeSpan duration)
    {
        var tags = new TagList
        {
            { MigrationTelemetry.Attributes.DbNamespace, connection.Database },
            { MigrationTelemetry.Attributes.Direction, DirectionTag(direction) },
            { MigrationTelemetry.Attributes.Outcome, outcome },
        };
        MigrationTelemetry.MigrationsApplied.Add(1, tags);
        MigrationTelemetry.MigrationDuration.Record(duration.TotalSeconds, tags);
    }

    private static void TagDatabase(Activity? activity, NpgsqlConnection connection, string operation)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(MigrationTelemetry.Attributes.DbSystem, "postgresql");
        activity.SetTag(MigrationTelemetry.Attributes.DbNamespace, connection.Database);
        activity.SetTag(MigrationTelemetry.Attributes.DbOperation, operation);
        activity.SetTag(MigrationTelemetry.Attributes.ServerAddress, connection.Host);
        activity.SetTag(MigrationTelemetry.Attributes.ServerPort, connection.Port);
    }
}
