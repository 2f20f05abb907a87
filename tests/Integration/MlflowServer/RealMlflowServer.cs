using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Harness.Tests.Integration.MlflowServer;

/// <summary>
/// A real MLflow tracking server for contract tests, started by the shared script (../shared/mlflow/mlflow-server.sh
/// beside the repository, or HARNESS_MLFLOW_SERVER_SCRIPT) on its own port, or the user's own server named by
/// HARNESS_MLFLOW_CONTRACT_URI. Where neither is there, <see cref="Unavailable"/> says why and the tests skip.
/// MLflow's own Python client (the script's `python` verb) reads back what Harness wrote.
/// </summary>
public static class RealMlflowServer
{
    public const int Port = 5057;

    /// <summary>The script that starts the server and gives MLflow's Python client (null where absent).</summary>
    public static string? Script { get; } = FindScript();

    private static readonly Lazy<(string? Url, string? Why)> Started = new(Start);

    public static string? Unavailable => Started.Value.Why;

    /// <summary>
    /// Skips the calling test, saying why, where no server could be had; fails it instead under
    /// HARNESS_MLFLOW_CONTRACT_REQUIRED=1 (CI sets it once it has started the server, so a skip cannot hide a break).
    /// </summary>
    public static void SkipUnlessAvailable()
    {
        if (Unavailable is null) return;
        if (Environment.GetEnvironmentVariable("HARNESS_MLFLOW_CONTRACT_REQUIRED") == "1")
            throw new InvalidOperationException($"HARNESS_MLFLOW_CONTRACT_REQUIRED=1, but {Unavailable}");
        Skip.If(true, Unavailable);
    }

    public static string Url => Started.Value.Url ?? throw new InvalidOperationException(Unavailable);

    private static string? FindScript()
    {
        if (Environment.GetEnvironmentVariable("HARNESS_MLFLOW_SERVER_SCRIPT") is { Length: > 0 } given) return File.Exists(given) ? given : null;
        foreach (var candidate in new[]
                 {
                     Path.Combine(RepositoryRoot.Path, "..", "shared", "mlflow", "mlflow-server.sh"),
                     "/work/shared/mlflow/mlflow-server.sh",
                 })
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        return null;
    }

    private static (string?, string?) Start()
    {
        if (Environment.GetEnvironmentVariable("HARNESS_MLFLOW_CONTRACT_URI") is { Length: > 0 } own) return (own.TrimEnd('/'), null);
        if (Script is null && Environment.GetEnvironmentVariable("HARNESS_MLFLOW_SERVER_SCRIPT") is { Length: > 0 } given)
            return (null, $"no MLflow server: HARNESS_MLFLOW_SERVER_SCRIPT names {given}, which does not exist");
        if (Script is null)
            return (null, "no MLflow server: ../shared/mlflow/mlflow-server.sh is not beside the repository (set HARNESS_MLFLOW_SERVER_SCRIPT " +
                          "to it, or HARNESS_MLFLOW_CONTRACT_URI to your own server)");
        var result = Bash(TimeSpan.FromMinutes(10), Script);
        return result.ExitCode == 0 && result.StdOut.Trim().StartsWith("http", StringComparison.Ordinal)
            ? (result.StdOut.Trim().Split('\n')[^1].Trim(), null)
            : (null, $"the MLflow server could not be started ({Script}: exit {result.ExitCode}: {Tail(result.StdErr)})");
    }

    /// <summary>Runs MLflow's own Python (the script's `python` verb) on a program; its stdout, stderr and exit code.</summary>
    public static CliRunner.Result Python(string program, params string[] arguments)
    {
        if (Script is null) throw new InvalidOperationException("no mlflow-server.sh");
        var file = Path.Combine(Path.GetTempPath(), $"harness-mlflow-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, program);
        try
        {
            return Bash(TimeSpan.FromMinutes(5), Script, ["python", file, .. arguments]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static CliRunner.Result Bash(TimeSpan limit, string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["MLFLOW_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(true);
            return new CliRunner.Result(-1, stdout.Result, $"did not finish in {limit.TotalMinutes:0} minutes");
        }
        return new CliRunner.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Tail(string text) => string.Join(" | ", text.Trim().Split('\n').TakeLast(3));

    /// <summary>A GET or POST of MLflow's REST API, answered as JSON.</summary>
    public static JsonNode Api(string path, JsonObject? body = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Url + "/"), Timeout = TimeSpan.FromSeconds(60) };
        // A sized body: MLflow's server reads a chunked one (PostAsJsonAsync's) as empty.
        using var response = body is null ? http.GetAsync(path).Result
            : http.PostAsync(path, new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json")).Result;
        var text = response.Content.ReadAsStringAsync().Result;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Every run of an experiment (runs/search, all pages).</summary>
    public static List<JsonNode> Runs(string experimentName)
    {
        var id = Api($"api/2.0/mlflow/experiments/get-by-name?experiment_name={Uri.EscapeDataString(experimentName)}")["experiment"]!["experiment_id"]!.GetValue<string>();
        var runs = new List<JsonNode>();
        string? token = null;
        do
        {
            var body = new JsonObject { ["experiment_ids"] = new JsonArray(id), ["max_results"] = 1000 };
            if (token is not null) body["page_token"] = token;
            var page = Api("api/2.0/mlflow/runs/search", body);
            runs.AddRange(page["runs"]?.AsArray().Select(r => r!) ?? []);
            token = page["next_page_token"]?.GetValue<string>();
        } while (!string.IsNullOrEmpty(token));
        return runs;
    }

    public static string Tag(JsonNode run, string key) =>
        run["data"]?["tags"]?.AsArray().FirstOrDefault(t => t!["key"]!.GetValue<string>() == key)?["value"]?.GetValue<string>() ?? "";

    public static string Name(JsonNode run) => run["info"]!["run_name"]!.GetValue<string>();

    public static string Id(JsonNode run) => run["info"]!["run_id"]!.GetValue<string>();

    /// <summary>Every point of one metric (metrics/get-history, paged).</summary>
    public static List<(long Step, long Timestamp, double Value)> History(string runId, string key)
    {
        var points = new List<(long, long, double)>();
        string? token = null;
        do
        {
            var page = Api($"api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key={Uri.EscapeDataString(key)}&max_results=25000" +
                           (token is null ? "" : $"&page_token={Uri.EscapeDataString(token)}"));
            foreach (var m in page["metrics"]?.AsArray() ?? [])
                points.Add((long.Parse(m!["step"]?.ToString() ?? "0"), long.Parse(m["timestamp"]!.ToString()),
                    double.Parse(m["value"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)));
            token = page["next_page_token"]?.GetValue<string>();
        } while (!string.IsNullOrEmpty(token));
        return points;
    }
}
