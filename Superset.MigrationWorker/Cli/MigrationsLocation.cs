using Superset.Migrations.LocalServer;

namespace Superset.MigrationWorker.Cli;

/// <summary>Where migration source files live: what <c>create</c> writes to and <c>status</c> reports.</summary>
internal static class MigrationsLocation
{
    public const string Variable = "SUPERSET_MIGRATIONS_DIR";

    /// <summary>The app's migrations folder relative to the checkout's root.</summary>
    public static readonly string DefaultRelativePath = Path.Combine("Superset.Migrations", "Migrations");

    /// <summary><c>--migrations-dir</c>, else <c>SUPERSET_MIGRATIONS_DIR</c>, else the checkout's folder; null outside a checkout.</summary>
    public static string? Resolve(string? option, CliEnvironment environment)
    {
        var configured = option ?? environment.GetVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured, environment.CurrentDirectory);
        }

        var root = Checkout.FindRoot(environment.CheckoutSearchStart)
                   ?? Checkout.FindRoot(AppContext.BaseDirectory);
        return root is null ? null : Path.Combine(root, DefaultRelativePath);
    }
}
