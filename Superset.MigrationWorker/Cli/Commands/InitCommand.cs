using System.CommandLine;
using Npgsql;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli.Commands;

/// <summary><c>init</c>: idempotent first-time setup; says what it created and what was there.</summary>
internal sealed class InitCommand : ICliCommand
{
    public Command Command { get; } = new("init", "Set up migrations: the migrations folder, the database (when the server allows) and the version table.");

    public async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var directory = context.Migrations.Directory;
        var createdDirectory = directory is not null && !Directory.Exists(directory);
        if (createdDirectory)
        {
            Directory.CreateDirectory(directory!);
        }

        var resolved = await context.Database.ResolveAsync(cancellationToken);
        var createdDatabase = await EnsureDatabaseAsync(context, resolved.ConnectionString, cancellationToken);

        await using var connection = await context.Database.OpenAsync(cancellationToken);
        bool createdTable;
        await using (await MigrationLock.AcquireAsync(connection, context.Migrations.Engine.Options.LockWait, null, cancellationToken))
        {
            createdTable = !await MigrationHistory.ExistsAsync(connection, cancellationToken);
            await MigrationHistory.EnsureCreatedAsync(connection, cancellationToken);
        }

        var result = new InitResult(directory, createdDirectory, await context.Database.DescribeAsync(cancellationToken), createdDatabase, createdTable);
        context.Output.Report(result, static json => json.InitResult, () =>
        {
            context.Output.Line(directory is null
                ? "ℹ️  Migrations folder: none here (migrations are compiled into the app); run init in the checkout to create one"
                : $"✅ Migrations folder: {directory} ({(createdDirectory ? "created" : "already there")}, {Directory.GetFiles(directory, "*.cs").Length} migration file(s))");
            context.Output.Line($"✅ Database: {result.Database} ({(createdDatabase ? "created" : "already there")})");
            context.Output.Line($"✅ Version table: {MigrationHistory.HistoryTable} ({(createdTable ? "created" : "already there")})");
        });
        return ExitCodes.Success;
    }

    /// <summary>Creates the database through the server's maintenance database when it is missing and we may.</summary>
    private static async Task<bool> EnsureDatabaseAsync(CommandContext context, NpgsqlConnectionStringBuilder target, CancellationToken cancellationToken)
    {
        try
        {
            await using var probe = await context.Database.OpenAsync(cancellationToken);
            return false;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // Missing: create it below.
        }

        return await DatabaseCreator.EnsureAsync(target, target.Database!, cancellationToken: cancellationToken) is not null;
    }
}
