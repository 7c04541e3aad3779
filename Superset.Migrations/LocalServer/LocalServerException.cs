namespace Superset.Migrations.LocalServer;

/// <summary>
/// The local server cannot be used, with a message for the developer: one line saying what is wrong and what to do
/// (a port held by another program, a data directory of another PostgreSQL version, a server that would not start).
/// </summary>
public sealed class LocalServerException(string message, Exception? innerException = null)
    : InvalidOperationException(message, innerException);
