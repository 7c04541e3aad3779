using Npgsql;
using Superset.Migrations.Engine;

namespace Superset.Migrations.Connection;

/// <summary>
/// The extensions of the database a throwaway stands for, made in the throwaway before anything runs there: a project
/// that creates its database with <c>CREATE EXTENSION citext</c> (or pgcrypto, postgis, uuid-ossp) before its first
/// migration has migrations that use them, which must script and replay on the throwaway as on the real database.
/// </summary>
internal static class ThrowawayExtensions
{
    public sealed record Extension(string Name, string Schema);

    /// <summary>The extensions of the database <paramref name="connection"/> is connected to, but plpgsql (every database has it).</summary>
    public static async Task<IReadOnlyList<Extension>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY e.oid", connection);
        var extensions = new List<Extension>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            extensions.Add(new Extension(reader.GetString(0), reader.GetString(1)));
        }

        return extensions;
    }

    /// <summary>Creates them in the throwaway (in their schemas, made when missing); one that cannot be is named in one line.</summary>
    public static async Task CreateAsync(NpgsqlConnection throwaway, IReadOnlyList<Extension> extensions, string? of, CancellationToken cancellationToken)
    {
        foreach (var extension in extensions)
        {
            try
            {
                await SqlCommands.ExecuteAsync(throwaway,
                    $"CREATE SCHEMA IF NOT EXISTS {Identifiers.Quote(extension.Schema)}; CREATE EXTENSION IF NOT EXISTS {Identifiers.Quote(extension.Name)} SCHEMA {Identifiers.Quote(extension.Schema)} CASCADE",
                    cancellationToken: cancellationToken);
            }
            catch (PostgresException ex)
            {
                throw new MigrationException(MigrationErrorKind.Failed,
                    $"Extension {extension.Name}, which {of ?? "the database"} has, cannot be created in the throwaway database that stands for it ({ex.SqlState}: {ex.MessageText}): install it on the server, or grant this user what CREATE EXTENSION {extension.Name} needs.", ex);
            }
        }
    }
}
