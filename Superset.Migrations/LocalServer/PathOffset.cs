using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Superset.Migrations.LocalServer;

/// <summary>
/// A number that a path always gets, from its SHA-256: where a checkout's own ports start (its PostgreSQL port, the
/// AppHost's ports when the launch profile's are taken), so that they stay the same for it from one F5 to the next.
/// </summary>
public static class PathOffset
{
    /// <summary>A number from 0 to <paramref name="count"/> − 1.</summary>
    public static int Of(string path, int count) =>
        (int)(BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(path)))) % (uint)count);
}
