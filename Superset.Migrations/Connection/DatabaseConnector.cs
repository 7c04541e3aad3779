using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace Superset.Migrations.Connection;

/// <summary>The database cannot be reached; the message names where it was looked for and why it failed, never the password.</summary>
public sealed class DatabaseUnreachableException(string message, Exception innerException) : Exception(message, innerException);

/// <summary>
/// Opens connections the one way the command line and the workers do: a server that is still starting (connection
/// refused, or PostgreSQL's 57P03 "the database system is starting up") is waited for within a bound, since under
/// Compose or Kubernetes nothing orders a job after PostgreSQL is ready; everything else (a wrong password, a missing
/// database, an unknown host) fails at once, with a message that names the server.
/// </summary>
public static class DatabaseConnector
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    /// <param name="waitForStart">How long a server that is not accepting connections yet is waited for; zero: not at all.</param>
    /// <param name="onWaiting">Told once, when the first attempt finds the server not ready.</param>
    public static Task<NpgsqlConnection> OpenAsync(
        NpgsqlConnectionStringBuilder builder, TimeSpan waitForStart = default, Action<string>? onWaiting = null, CancellationToken cancellationToken = default) =>
        OpenAsync(async token =>
        {
            var connection = new NpgsqlConnection(builder.ConnectionString);
            try
            {
                await connection.OpenAsync(token);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }, builder, waitForStart, onWaiting, cancellationToken);

    /// <summary>The same, for a connection from a data source (the worker's, with Aspire's tracing and health checks).</summary>
    public static Task<NpgsqlConnection> OpenAsync(
        NpgsqlDataSource dataSource, NpgsqlConnectionStringBuilder builder, TimeSpan waitForStart = default, Action<string>? onWaiting = null,
        CancellationToken cancellationToken = default) =>
        OpenAsync(token => dataSource.OpenConnectionAsync(token).AsTask(), builder, waitForStart, onWaiting, cancellationToken);

    private static async Task<NpgsqlConnection> OpenAsync(
        Func<CancellationToken, Task<NpgsqlConnection>> open, NpgsqlConnectionStringBuilder builder, TimeSpan waitForStart, Action<string>? onWaiting,
        CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var told = false;
        while (true)
        {
            try
            {
                return await open(cancellationToken);
            }
            catch (Exception ex) when (IsStarting(ex) && waited.Elapsed < waitForStart)
            {
                if (!told)
                {
                    onWaiting?.Invoke($"Waiting up to {waitForStart.TotalSeconds:0} s for {DatabaseUri.Describe(builder)} to accept connections ({Reason(ex)})");
                    told = true;
                }

                await Task.Delay(RetryPause, cancellationToken);
            }
            catch (Exception ex) when (Translate(builder, ex, waitForStart) is { } translated)
            {
                throw translated;
            }
        }
    }

    /// <summary>A server that is not up yet: nothing listens, or PostgreSQL says it is starting.</summary>
    public static bool IsStarting(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow }
        || FindSocketError(exception) is SocketError.ConnectionRefused or SocketError.ConnectionReset;

    /// <summary>A connection failure said in words that name the server; null for errors that say enough themselves.</summary>
    public static Exception? Translate(NpgsqlConnectionStringBuilder builder, Exception exception, TimeSpan waited = default)
    {
        var where = $"{builder.Host ?? "localhost"}:{builder.Port}";
        return exception switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } auth =>
                new DatabaseUnreachableException(
                    $"The server at {where} refused user {builder.Username ?? "(default)"}: {auth.MessageText} ({auth.SqlState}). Check the user name and password of the database setting.", auth),
            PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow } starting =>
                new DatabaseUnreachableException(
                    $"The server at {where} was still starting up{(waited > TimeSpan.Zero ? $" after {waited.TotalSeconds:0} s" : "")}: {starting.MessageText}.", starting),
            PostgresException => null,
            NpgsqlException or SocketException or TimeoutException when FindSocketError(exception) is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
                new DatabaseUnreachableException($"Cannot reach the database: the host '{builder.Host}' was not found (DNS: {Reason(exception)}). Check the host of the database setting.", exception),
            NpgsqlException or SocketException or TimeoutException =>
                new DatabaseUnreachableException(
                    $"Cannot reach the database at {where} ({DatabaseUri.Describe(builder)}): {Reason(exception)}" +
                    (IsStarting(exception) && waited > TimeSpan.Zero ? $" (waited {waited.TotalSeconds:0} s for it to start)" : "") + ".", exception),
            _ => null,
        };
    }

    private static SocketError? FindSocketError(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }

    /// <summary>The innermost message: what the network or the server said.</summary>
    private static string Reason(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : inner.Message.TrimEnd('.');
    }
}
