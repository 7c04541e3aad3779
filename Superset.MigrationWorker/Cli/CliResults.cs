using System.Text.Json.Serialization;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli;

// What each command prints with --json. Source-generated serialization keeps the command line's start fast.

/// <summary><c>status --json</c>: the plan as the web app's /api/migrations shows it, and where migrations live.</summary>
internal sealed record StatusResult : PlanSummary
{
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public StatusResult(PlanSummary plan, string? migrationsLocation)
        : base(plan) => MigrationsLocation = migrationsLocation;

    public string? MigrationsLocation { get; init; }
}

internal sealed record CurrentResult(string Database, MigrationRef? Current);

internal sealed record HistoryEntry(
    long Version,
    string Description,
    string State,
    DateTimeOffset? AppliedAt,
    int? DurationMs,
    string? AppliedBy,
    string? AppliedVia,
    bool Transactional,
    string? Irreversible = null,
    bool BreakingChange = false);

internal sealed record HistoryResult(string Database, IReadOnlyList<HistoryEntry> Migrations);

internal sealed record AppliedEntry(long Version, string Description, double DurationMs, long RowsAffected);

internal sealed record RunResult(
    string Database,
    string Direction,
    long? FromVersion,
    long? ToVersion,
    IReadOnlyList<AppliedEntry> Migrations,
    IReadOnlyList<long> AcceptedChanges,
    string? Backup,
    IReadOnlyList<AppliedEntry> RevertedUnknown);

internal sealed record SqlResult(string Sql);

internal sealed record HeadsResult(MigrationRef? Head, MigrationRef? Current, IReadOnlyList<MigrationRef> OutOfOrder);

internal sealed record StampResult(string Database, long Version, IReadOnlyList<MigrationRef> Marked, IReadOnlyList<MigrationRef> Forgotten);

internal sealed record InitResult(string? MigrationsDirectory, bool CreatedDirectory, string Database, bool CreatedDatabase, bool CreatedVersionTable);

internal sealed record CreateResult(
    string? File,
    long? Version,
    string Description,
    IReadOnlyList<string> Changes,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Hints);

internal sealed record CheckResult(
    string Database,
    bool Ok,
    IReadOnlyList<MigrationRef> Pending,
    IReadOnlyList<MigrationRef> OutOfOrder,
    IReadOnlyList<MigrationRef> Unknown,
    IReadOnlyList<MigrationRef> Changed,
    IReadOnlyList<string> Drift,
    IReadOnlyList<string> ModelDifferences,
    IReadOnlyList<LintEntry> Lint);

internal sealed record BackupEntry(string Path, string Database, DateTime TakenAt, long? Version, long Size);

internal sealed record BackupsResult(string Directory, IReadOnlyList<BackupEntry> Backups);

internal sealed record RestoreResultJson(string File, string Database, long? Version, string? Description, string? PreviousDatabaseKeptAs);

internal sealed record LintEntry(
    long Version, string Description, string Rule, string Severity, string Message, string Fix, bool Suppressed, string? Reason)
{
    public static LintEntry From(Superset.Migrations.Lint.LintFinding finding) => new(
        finding.Version, finding.Description, finding.Rule.Id, finding.Rule.Severity.ToString().ToLowerInvariant(),
        finding.Message, finding.Rule.Fix, finding.Suppressed, finding.SuppressedBecause);
}

internal sealed record LintResult(IReadOnlyList<MigrationRef> Migrations, IReadOnlyList<LintEntry> Findings, int Errors, int Warnings, int Suppressed);

internal sealed record ServerResult(
    string Action,
    string State,
    int? Pid,
    int Port,
    string DataDirectory,
    string? LogFile,
    string? StartedBy,
    int? StartedByPid,
    DateTimeOffset? StartedAt)
{
    /// <summary>Container mode: the container's name (the data directory is then its volume).</summary>
    public string? Container { get; init; }
}

internal sealed record AdoptResult(string Database, IReadOnlyList<MigrationRef> Recorded, string From, MigrationRef? Current);

internal sealed record ErrorResult(string Error, int ExitCode);

internal sealed record SeedResult(string Database, string Dataset, IReadOnlyList<string> Applied, IReadOnlyList<string> AlreadyApplied);

internal sealed record ResetResultJson(string Database, string? Backup, int Applied, long? Version, SeedResult? Seeded);

internal sealed record SnapshotEntry(string Name, string Copy, long? Version, string? Description, DateTimeOffset TakenAt, long Size);

internal sealed record SnapshotsResult(string Database, string Action, IReadOnlyList<SnapshotEntry> Snapshots);

internal sealed record SnapshotRestoreResult(string Database, SnapshotEntry Restored, string? ReplacedKeptAs, IReadOnlyList<long> Reverted, long? Version, int Pending);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(CurrentResult))]
[JsonSerializable(typeof(HistoryResult))]
[JsonSerializable(typeof(RunResult))]
[JsonSerializable(typeof(SqlResult))]
[JsonSerializable(typeof(HeadsResult))]
[JsonSerializable(typeof(StampResult))]
[JsonSerializable(typeof(InitResult))]
[JsonSerializable(typeof(CreateResult))]
[JsonSerializable(typeof(CheckResult))]
[JsonSerializable(typeof(BackupEntry))]
[JsonSerializable(typeof(BackupsResult))]
[JsonSerializable(typeof(RestoreResultJson))]
[JsonSerializable(typeof(ServerResult))]
[JsonSerializable(typeof(LintResult))]
[JsonSerializable(typeof(AdoptResult))]
[JsonSerializable(typeof(ErrorResult))]
[JsonSerializable(typeof(SeedResult))]
[JsonSerializable(typeof(ResetResultJson))]
[JsonSerializable(typeof(SnapshotsResult))]
[JsonSerializable(typeof(SnapshotRestoreResult))]
internal sealed partial class CliJson : JsonSerializerContext;
