using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Superset.MigrationWorker.Cli;

/// <summary>What a command prints: its lines (quiet with <c>--json</c>), warnings on stderr, and its result as JSON or text.</summary>
internal sealed class CliOutput(CliEnvironment environment, bool json)
{
    public bool Json { get; } = json;

    public void Line(string text = "")
    {
        if (!Json)
        {
            environment.Out.WriteLine(text);
        }
    }

    public void Warn(string text) => environment.Error.WriteLine(text);

    /// <summary>Writes the command's result: JSON with <c>--json</c>, else the human text.</summary>
    /// <param name="typeInfo">Asked for only with <c>--json</c>: made cold, a result's type information costs 10 ms or more, a
    /// sixth of a <c>status</c> that prints for a person (measured).</param>
    public void Report<T>(T result, Func<CliJson, JsonTypeInfo<T>> typeInfo, Action human)
    {
        if (Json)
        {
            environment.Out.WriteLine(JsonSerializer.Serialize(result, typeInfo(CliJson.Default)));
        }
        else
        {
            human();
        }
    }

    /// <summary>What <c>--sql</c> prints: the script, exactly as the engine would run it.</summary>
    public int PrintSql(string sql)
    {
        Report(new SqlResult(sql), static json => json.SqlResult, () => environment.Out.Write(sql));
        return ExitCodes.Success;
    }
}
