using System.CommandLine;
using Npgsql;
using Superset.MigrationWorker.Cli.Answers;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Cli;

/// <summary>
/// One run of one command: the values it was given, and its collaborators, each made on first use so that <c>--help</c>
/// and bad input touch nothing: what it prints (<see cref="Output"/>), the database (<see cref="Database"/>), the
/// migrations and engine (<see cref="Migrations"/>) and the backups (<see cref="Backups"/>).
/// </summary>
internal sealed class CommandContext
{
    private readonly ParseResult _parseResult;
    private readonly AnswerRecorder? _answer;

    /// <param name="answer">Keeps the answer of a command that only reports the plan, when the quick front asked for it.</param>
    public CommandContext(ParseResult parseResult, CliOptions options, CliEnvironment environment, AnswerRecorder? answer = null)
    {
        _parseResult = parseResult;
        _answer = answer;
        Options = options;
        Environment = environment;
        Output = new CliOutput(environment, parseResult.GetValue(options.Json));
        Database = new CliDatabase(environment);
        Migrations = new CliMigrations(parseResult, options, environment);
        Backups = new CliBackups(parseResult, options, environment, Database, Output);
    }

    public CliOptions Options { get; }

    public CliEnvironment Environment { get; }

    public CliOutput Output { get; }

    public CliDatabase Database { get; }

    public CliMigrations Migrations { get; }

    public CliBackups Backups { get; }

    /// <summary>The plan, for a command that only reads it (see <see cref="OpenWhileMigrationsLoadAsync"/>).</summary>
    public async Task<MigrationPlan> ReadPlanAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenWhileMigrationsLoadAsync(readsHistoryOnly: true, cancellationToken);
        if (_answer is null)
        {
            return await Migrations.Engine.PlanAsync(connection, cancellationToken);
        }

        var (plan, fingerprint) = await Migrations.Engine.PlanWithFingerprintAsync(connection, cancellationToken);
        _answer.PlanRead(await Database.ResolveAsync(cancellationToken), connection, fingerprint, AnswerInputFiles());
        return plan;
    }

    /// <summary>
    /// The files a plan's report is decided by, besides the database: the migrations' assemblies, this program's own and
    /// its dependency list (a package updated), the engine's, and the migrations folder it names.
    /// </summary>
    private IEnumerable<string> AnswerInputFiles()
    {
        var program = typeof(CommandContext).Assembly.Location;
        return [
            program, Path.ChangeExtension(program, ".deps.json"), typeof(MigrationEngine).Assembly.Location,
            .. Migrations.Source.AssemblyFiles, .. Migrations.Directory is { } directory ? [directory] : Array.Empty<string>(),
        ];
    }

    /// <summary>
    /// Opens the database on another thread while the migrations and the engine load on this one: both are mostly
    /// first-use work (JIT, reflection), which two cores do side by side.
    /// </summary>
    /// <param name="readsHistoryOnly">The connection only reads the history (see <see cref="CliDatabase.OpenForReadingHistoryAsync"/>).</param>
    public async Task<NpgsqlConnection> OpenWhileMigrationsLoadAsync(bool readsHistoryOnly, CancellationToken cancellationToken)
    {
        // Read here first, so that the two threads do not both make it.
        _ = Environment.Configuration;
        var opening = Task.Run(() => readsHistoryOnly ? Database.OpenForReadingHistoryAsync(cancellationToken) : Database.OpenAsync(cancellationToken),
            cancellationToken);
        try
        {
            _ = Migrations.Engine;
        }
        catch
        {
            // The migrations cannot be loaded (a bad --migrations-assembly): that is the error to report, and the
            // connection, if it opened, is closed.
            await CloseQuietlyAsync(opening);
            throw;
        }

        return await opening;
    }

    private static async Task CloseQuietlyAsync(Task<NpgsqlConnection> opening)
    {
        try
        {
            await (await opening).DisposeAsync();
        }
        catch (Exception)
        {
            // Whatever it was (no server, a bad address), the failure to report is the one already thrown.
        }
    }

    /// <summary>The value an option was given (checked while parsing), or its default.</summary>
    public T? Value<T>(Option<T> option) => _parseResult.GetValue(option);

    /// <summary>The value of a command's argument.</summary>
    public T? Value<T>(Argument<T> argument) => _parseResult.GetValue(argument);
}
