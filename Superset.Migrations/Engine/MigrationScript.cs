using FluentMigrator;
using System.Data;
using System.Security.Cryptography;
using System.Text;

namespace Superset.Migrations.Engine;

/// <summary>One thing a migration does: a SQL statement, or C# code given the connection.</summary>
public abstract record ScriptStep
{
    /// <summary>The text the checksum covers and <c>--sql</c> prints.</summary>
    public abstract string Text { get; }

    public sealed record Sql(string Statement) : ScriptStep
    {
        public override string Text => Statement;
    }

    /// <summary><c>Execute.WithConnection(...)</c>: code that runs with the migration's connection and transaction.</summary>
    public sealed record Code(Action<IDbConnection, IDbTransaction?> Operation, string Description) : ScriptStep
    {
        public override string Text => $"-- C# code: {Description}";
    }
}

/// <summary>What one migration does in one direction, in order, as the engine will run it.</summary>
public sealed class MigrationScript
{
    private string? _checksum;

    public MigrationScript(KnownMigration migration, MigrationDirection direction, IReadOnlyList<ScriptStep> steps)
    {
        Migration = migration;
        Direction = direction;
        Steps = steps;
    }

    public KnownMigration Migration { get; }

    public MigrationDirection Direction { get; }

    public IReadOnlyList<ScriptStep> Steps { get; }

    public bool HasCode => Steps.Any(s => s is ScriptStep.Code);

    /// <summary>What the migration asked the live schema while it was scripted, and the answers; empty when scripted offline.</summary>
    public IReadOnlyList<string> LiveSchemaAnswers { get; init; } = [];

    /// <summary>
    /// SHA-256 of the statements, in order. Stored when a migration is applied so that an applied migration
    /// that was edited afterwards is noticed (the SQL it would run now differs from what ran).
    /// </summary>
    public string Checksum => _checksum ??= ComputeChecksum(Steps);

    /// <summary>
    /// The same migration running other steps under its own checksum: what a throwaway database runs of it (without what
    /// acts on the whole server) is still that migration, and must not read as edited afterwards.
    /// </summary>
    public MigrationScript WithSteps(IReadOnlyList<ScriptStep> steps) =>
        new(Migration, Direction, steps) { LiveSchemaAnswers = LiveSchemaAnswers, _checksum = Checksum };

    private static string ComputeChecksum(IReadOnlyList<ScriptStep> steps)
    {
        var text = new StringBuilder();
        foreach (var step in steps)
        {
            text.Append(step.Text.Trim()).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
