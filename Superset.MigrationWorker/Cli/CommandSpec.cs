using System.Text;

namespace Superset.MigrationWorker.Cli;

/// <summary>An option a command accepts: a flag (<c>--sql</c>) or one with a value (<c>--target VERSION</c>).</summary>
internal sealed record OptionSpec(string Name, string? ValueName, string Description)
{
    public bool TakesValue => ValueName is not null;
}

/// <summary>Options of the commands that take or read backups.</summary>
internal static class BackupOptions
{
    public static readonly OptionSpec NoBackup = new("no-backup", null, "Do not take a backup first (you said so: the default is to take one).");
    public static readonly OptionSpec Directory = new("backup-dir", "DIR", "Where backups go (default: SUPERSET_BACKUP_DIR, else backups/ in the checkout).");
    public static readonly OptionSpec Keep = new("keep", "N", "How many backups of the database to keep (default 10).");
}

/// <summary>What a command is called, what it takes and what it says about itself in <c>--help</c>.</summary>
internal sealed record CommandSpec(
    string Name,
    string Summary,
    string Usage,
    IReadOnlyList<OptionSpec> Options,
    int MinArguments = 0,
    int MaxArguments = 0,
    string? Details = null)
{
    /// <summary>Options every command accepts.</summary>
    public static readonly IReadOnlyList<OptionSpec> CommonOptions =
    [
        new("json", null, "Print the result as JSON, for scripts and CI."),
        new("help", null, "Show this help."),
        new("migrations-assembly", "PATH", "Read migrations from this assembly instead of the app's own."),
        new("migrations-dir", "DIR", "Where the migration source files are (default: Superset.Migrations/Migrations)."),
        new("lock-wait", "SECONDS", "How long to wait for another runner's migration lock (default 120)."),
    ];

    public OptionSpec? FindOption(string name) =>
        Options.FirstOrDefault(o => o.Name == name) ?? CommonOptions.FirstOrDefault(o => o.Name == name);

    public string HelpText()
    {
        var text = new StringBuilder();
        text.AppendLine($"Usage: manage_migrations.sh {Usage}");
        text.AppendLine();
        text.AppendLine(Summary);
        if (Details is not null)
        {
            text.AppendLine();
            text.AppendLine(Details);
        }

        text.AppendLine();
        text.AppendLine("Options:");
        foreach (var option in Options.Concat(CommonOptions))
        {
            var name = option.TakesValue ? $"--{option.Name} {option.ValueName}" : $"--{option.Name}";
            text.AppendLine($"  {name,-28} {option.Description}");
        }

        return text.ToString();
    }
}
