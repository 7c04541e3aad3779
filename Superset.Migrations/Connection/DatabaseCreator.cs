using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.Migrations.Connection;

/// <summary>A database that was created: empty, or as a copy of a template (or why the template was not copied).</summary>
public sealed record DatabaseCreated(string Database, string? Template, bool Copied, string? NotCopiedBecause = null)
{
    /// <summary>"Created database superset_x for this branch, as a copy of superset", with <paramref name="purpose"/> "for this branch".</summary>
    public string Describe(string? purpose = null)
    {
        var created = $"Created database {Database}{(purpose is null ? "" : " " + purpose)}";
        return Template is null ? created
            : Copied ? $"{created}, as a copy of {Template}"
            : NotCopiedBecause is not null ? $"{created}, empty: {Template} could not be copied while sessions use it ({NotCopiedBecause})"
            : $"{created} (empty: there was no {Template} to copy)";
    }
}

/// <summary>
/// Creates a database when it is missing, through the server's maintenance database (<c>postgres</c>): the one way
/// <c>init</c>, the local server, a branch's database and the tests make one. Safe against a twin doing the same at the
/// same moment.
/// </summary>
public static class DatabaseCreator
{
    /// <summary>
    /// A twin created it at the same moment: PostgreSQL says 42P04 when it sees the other's committed row, and 23505
    /// (<c>pg_database_datname_index</c>) when both inserted it before either committed.
    /// </summary>
    public static bool IsCreatedMeanwhile(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation;

    /// <summary>
    /// Creates <paramref name="database"/> on <paramref name="server"/>'s server when missing: as a copy of
    /// <paramref name="template"/> when one is given, exists and nobody is connected to it, else empty. Returns
    /// what was done; null when the database was there (or a twin made it meanwhile).
    /// </summary>
    public static async Task<DatabaseCreated?> EnsureAsync(
        NpgsqlConnectionStringBuilder server, string database, string? template = null, CancellationToken cancellationToken = default)
    {
        // Unpooled: a one-off administrative session, and a pooled one could be left over from an earlier server.
        var maintenance = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = await DatabaseConnector.OpenAsync(maintenance, cancellationToken: cancellationToken);
        if (await SqlCommands.DatabaseExistsAsync(connection, database, cancellationToken))
        {
            return null;
        }

        if (template is not null && await SqlCommands.DatabaseExistsAsync(connection, template, cancellationToken))
        {
            try
            {
                return await CreateAsync(connection, database, template, maintenance.Username, cancellationToken) ? new DatabaseCreated(database, template, Copied: true) : null;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
            {
                return await CreateAsync(connection, database, null, maintenance.Username, cancellationToken)
                    ? new DatabaseCreated(database, template, Copied: false, ex.MessageText)
                    : null;
            }
        }

        return await CreateAsync(connection, database, null, maintenance.Username, cancellationToken) ? new DatabaseCreated(database, template, Copied: false) : null;
    }

    private static async Task<bool> CreateAsync(NpgsqlConnection connection, string database, string? template, string? user, CancellationToken cancellationToken)
    {
        try
        {
            await SqlCommands.ExecuteAsync(connection,
                $"CREATE DATABASE {Identifiers.Quote(database)}{(template is null ? "" : $" TEMPLATE {Identifiers.Quote(template)}")}", cancellationToken: cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (IsCreatedMeanwhile(ex))
        {
            return false;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && template is null)
        {
            throw new MigrationException(MigrationErrorKind.Failed,
                $"Could not create database {database}: template1, which every new database is copied from, is in use ({ex.MessageText}). Close the session connected to template1 and try again.");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new MigrationException(MigrationErrorKind.Failed,
                $"Database {database} does not exist and {user ?? "this user"} may not create it: ask an administrator to create it.");
        }
    }
}
