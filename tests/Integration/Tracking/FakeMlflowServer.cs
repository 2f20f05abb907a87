using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Harness.Tests.Integration.Tracking;

/// <summary>
/// A local stand-in for an MLflow tracking server on 127.0.0.1 that enforces the request shapes and limits of
/// shared/mlflow-format.md and answers errors in MLflow's format. Failures can be injected per path.
/// </summary>
public sealed class FakeMlflowServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Thread _thread;

    public FakeMlflowServer()
    {
        Url = $"http://127.0.0.1:{FreePort()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _thread = new Thread(Serve) { IsBackground = true };
        _thread.Start();
    }

    public string Url { get; }

    /// <summary>A loopback port nothing listens on (at the moment of asking).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
    public ConcurrentQueue<(string Method, string Path, string Body, string? Authorization)> Requests { get; } = new();
    public ConcurrentDictionary<string, JsonObject> Experiments { get; } = new();

    /// <summary>A run as the server holds it: name, parent (mlflow.parentRunId), status and times.</summary>
    public sealed record Run(string Name, string? Parent, string Status, long StartTime, long? EndTime);

    public ConcurrentDictionary<string, Run> Runs { get; } = new();

    /// <summary>An outage: once this many requests were served, every request gets 503 until it is set back to null.</summary>
    public int? DownAfterRequests { get; set; }

    /// <summary>A stalled server: once this many requests were served, it accepts connections and never answers.</summary>
    public int? StallAfterRequests { get; set; }

    private readonly ManualResetEventSlim _disposed = new();

    /// <summary>Answers with this status (and MLflow error body) for the next N requests to a path.</summary>
    public ConcurrentDictionary<string, (int Status, int Remaining)> Failures { get; } = new();

    private void Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = _listener.GetContext(); }
            catch (Exception) { return; }
            try { Handle(context); }
            catch (Exception) { /* a broken request ends only that request */ }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        var body = new StreamReader(request.InputStream, Encoding.UTF8).ReadToEnd();
        Requests.Enqueue((request.HttpMethod, request.Url.PathAndQuery, body, request.Headers["Authorization"]));

        if (StallAfterRequests is int stall && Requests.Count > stall)
        {
            _disposed.Wait(); // the connection stays open, unanswered, until the test ends
            return;
        }
        if (DownAfterRequests is int limit && Requests.Count > limit)
        {
            context.Response.Headers["Retry-After"] = "0";
            Answer(context, 503, Error("TEMPORARILY_UNAVAILABLE", "the server is down (injected outage)"));
            return;
        }
        if (Failures.TryGetValue(path, out var failure) && failure.Remaining > 0)
        {
            Failures[path] = (failure.Status, failure.Remaining - 1);
            if (failure.Status == 503) context.Response.Headers["Retry-After"] = "0";
            Answer(context, failure.Status, Error(failure.Status == 503 ? "TEMPORARILY_UNAVAILABLE" : "INVALID_PARAMETER_VALUE",
                $"injected failure {failure.Status}"));
            return;
        }

        switch (request.HttpMethod, path)
        {
            case ("GET", "/api/2.0/mlflow/experiments/get-by-name"):
                var name = request.QueryString["experiment_name"] ?? "";
                if (Experiments.TryGetValue(name, out var experiment)) Answer(context, 200, new JsonObject { ["experiment"] = experiment.DeepClone() });
                else Answer(context, 404, Error("RESOURCE_DOES_NOT_EXIST", $"Could not find experiment with name '{name}'"));
                break;
            case ("POST", "/api/2.0/mlflow/experiments/create"):
                var created = JsonNode.Parse(body)!["name"]!.GetValue<string>();
                var id = (Experiments.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Experiments[created] = new JsonObject { ["experiment_id"] = id, ["name"] = created };
                Answer(context, 200, new JsonObject { ["experiment_id"] = id });
                break;
            case ("POST", "/api/2.0/mlflow/runs/create"):
                var runId = Guid.NewGuid().ToString("N");
                var createBody = JsonNode.Parse(body)!;
                var experimentId = createBody["experiment_id"]!.GetValue<string>();
                var parentTag = createBody["tags"]?.AsArray().FirstOrDefault(t => t!["key"]!.GetValue<string>() == "mlflow.parentRunId");
                Runs[runId] = new Run(createBody["run_name"]?.GetValue<string>() ?? "", parentTag?["value"]?.GetValue<string>(), "RUNNING",
                    createBody["start_time"]?.GetValue<long>() ?? 0, null);
                Answer(context, 200, new JsonObject
                {
                    ["run"] = new JsonObject { ["info"] = new JsonObject { ["run_id"] = runId, ["artifact_uri"] = $"mlflow-artifacts:/{experimentId}/{runId}/artifacts" } },
                });
                break;
            case ("POST", "/api/2.0/mlflow/runs/log-batch"):
                var batch = JsonNode.Parse(body)!;
                int metrics = batch["metrics"]?.AsArray().Count ?? 0, parameters = batch["params"]?.AsArray().Count ?? 0, tags = batch["tags"]?.AsArray().Count ?? 0;
                if (metrics > 1000 || parameters > 100 || tags > 100 || metrics + parameters + tags > 1000)
                    Answer(context, 400, Error("INVALID_PARAMETER_VALUE", $"A batch logging request can contain at most 1000 metrics, 100 params, 100 tags (got {metrics}, {parameters}, {tags})"));
                else Answer(context, 200, new JsonObject());
                break;
            case ("POST", "/api/2.0/mlflow/runs/update"):
                var update = JsonNode.Parse(body)!;
                var updated = update["run_id"]!.GetValue<string>();
                if (Runs.TryGetValue(updated, out var held))
                    Runs[updated] = held with { Status = update["status"]?.GetValue<string>() ?? held.Status, EndTime = update["end_time"]?.GetValue<long>() };
                Answer(context, 200, new JsonObject());
                break;
            case ("GET", "/api/2.0/mlflow/runs/get"):
                var asked = request.QueryString["run_id"] ?? "";
                if (Runs.TryGetValue(asked, out var known))
                    Answer(context, 200, new JsonObject
                    {
                        ["run"] = new JsonObject { ["info"] = new JsonObject { ["run_id"] = asked, ["status"] = known.Status, ["artifact_uri"] = $"mlflow-artifacts:/1/{asked}/artifacts" } },
                    });
                else Answer(context, 404, Error("RESOURCE_DOES_NOT_EXIST", $"Run '{asked}' not found"));
                break;
            case ("POST", "/api/2.0/mlflow/runs/set-tag"):
                Answer(context, 200, new JsonObject());
                break;
            case ("PUT", _) when path.StartsWith("/api/2.0/mlflow-artifacts/artifacts/", StringComparison.Ordinal):
                Answer(context, 200, new JsonObject());
                break;
            default:
                context.Response.StatusCode = 404;
                context.Response.ContentType = "text/html";
                var html = Encoding.UTF8.GetBytes("<html>not found</html>");
                context.Response.OutputStream.Write(html);
                context.Response.Close();
                break;
        }
    }

    private static JsonObject Error(string code, string message) => new() { ["error_code"] = code, ["message"] = message };

    private static void Answer(HttpListenerContext context, int status, JsonNode body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    public void Dispose()
    {
        _disposed.Set();
        _listener.Stop();
        _listener.Close();
    }
}
