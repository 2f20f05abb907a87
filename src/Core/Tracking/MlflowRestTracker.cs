using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Runtime;

namespace Harness.Core.Tracking;

/// <summary>
/// MLflow's REST API (when MLFLOW_TRACKING_URI is http(s)://…): experiments get-by-name/create, runs create/update,
/// log-batch split to the per-request limits, artifacts through the server's artifact proxy. Metrics, params and tags
/// are buffered and sent in batches. Retries 408/429/5xx and connection failures with exponential backoff and jitter
/// (honouring Retry-After); other 4xx are not retried and MLflow's message is shown verbatim. Optional auth:
/// MLFLOW_TRACKING_TOKEN (bearer), MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD (basic) or a user:password in the URL
/// (basic); never logged, and the URL is kept without them.
/// </summary>
public sealed class MlflowRestTracker : ITracker
{
    public const int MaxMetricsPerBatch = 1000, MaxParamsPerBatch = 100, MaxTagsPerBatch = 100, MaxItemsPerBatch = 1000;

    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly string _experimentId;
    private readonly int _maxAttempts;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _timeout;
    private readonly Action<string>? _notice;
    private volatile bool _inputsUnsupported;

    /// <summary>How long a request runs before the notice says what is being waited for: 5 s, or half the timeout if shorter.</summary>
    private TimeSpan NoticeAfter => _timeout / 2 < TimeSpan.FromSeconds(5) ? _timeout / 2 : TimeSpan.FromSeconds(5);

    /// <param name="timeout">The most one request may take, every attempt and backoff included (default 30 s).</param>
    /// <param name="notice">Hears, once per slow request, what is being waited for and until when.</param>
    public MlflowRestTracker(Uri baseUri, string experimentName, HttpMessageHandler? handler = null,
        IReadOnlyDictionary<string, string?>? environment = null, int maxAttempts = 5, TimeSpan? baseDelay = null,
        TimeSpan? timeout = null, Action<string>? notice = null)
    {
        _timeout = timeout ?? TimeSpan.FromSeconds(Harness.Core.Specs.TrackingSpec.DefaultTimeoutSeconds);
        _notice = notice;
        var (bare, urlUser, urlPassword) = UrlRedaction.Split(baseUri);
        _base = new Uri(bare.AbsoluteUri.TrimEnd('/') + "/");
        _http = new HttpClient(handler ?? new HttpClientHandler()) { Timeout = Timeout.InfiniteTimeSpan }; // each Send is bounded by _timeout
        _maxAttempts = maxAttempts;
        _baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(500);
        string? Env(string name) => environment is null ? Environment.GetEnvironmentVariable(name) : environment.GetValueOrDefault(name);
        if (Env("MLFLOW_TRACKING_TOKEN") is { Length: > 0 } token)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if ((Env("MLFLOW_TRACKING_USERNAME") is { Length: > 0 } user ? $"{user}:{Env("MLFLOW_TRACKING_PASSWORD") ?? ""}"
                     : urlUser is not null ? $"{urlUser}:{urlPassword}" // http://user:password@host, as MLflow's own client reads it
                     : null) is { } basic)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        _experimentId = GetOrCreateExperiment(experimentName);
    }

    public string Location => _base.GetLeftPart(UriPartial.Authority);

    public ITrackedRun StartRun(string runName, string? parentRunId, IReadOnlyDictionary<string, string> tags) =>
        StartRunAt(runName, parentRunId, tags, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public ITrackedRun StartRunAt(string runName, string? parentRunId, IReadOnlyDictionary<string, string> tags, long startTimeMs)
    {
        var all = new Dictionary<string, string>(tags) { ["mlflow.runName"] = runName };
        if (parentRunId is not null) all["mlflow.parentRunId"] = parentRunId;
        var response = Send(HttpMethod.Post, "api/2.0/mlflow/runs/create", new JsonObject
        {
            ["experiment_id"] = _experimentId,
            ["user_id"] = Environment.UserName,
            ["run_name"] = runName,
            ["start_time"] = startTimeMs,
            ["tags"] = new JsonArray(all.Select(t => (JsonNode)new JsonObject
            {
                ["key"] = MlflowKeys.Sanitize(t.Key), ["value"] = MlflowKeys.Truncate(t.Value, MlflowKeys.MaxRunTagValue),
            }).ToArray()),
        });
        var info = response?["run"]?["info"];
        var runId = info?["run_id"]?.GetValue<string>() ?? throw new TrackingException("MLflow answered runs/create without a run id");
        return new RestRun(this, runId, info?["artifact_uri"]?.GetValue<string>() ?? "");
    }

    /// <summary>Ends as KILLED the RUNNING runs of this experiment whose process is known to be dead (runs/search, runs/update).</summary>
    public int EndRunsOfDeadProcesses()
    {
        var found = Send(HttpMethod.Post, "api/2.0/mlflow/runs/search", new JsonObject
        {
            ["experiment_ids"] = new JsonArray(_experimentId),
            ["filter"] = "attributes.status = 'RUNNING'",
            ["max_results"] = 1000,
        });
        int ended = 0;
        foreach (var run in found?["runs"]?.AsArray() ?? [])
        {
            var process = run?["data"]?["tags"]?.AsArray().FirstOrDefault(t => t?["key"]?.GetValue<string>() == ITracker.ProcessTag)?["value"]?.GetValue<string>();
            var id = run?["info"]?["run_id"]?.GetValue<string>();
            if (id is null || process is null || ProcessIdentity.IsAlive(process) != false) continue;
            Send(HttpMethod.Post, "api/2.0/mlflow/runs/update", new JsonObject
            {
                ["run_id"] = id,
                ["status"] = "KILLED",
                ["end_time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            });
            ended++;
        }
        return ended;
    }

    /// <summary>A run the server already holds (made before an outage), continued by a push; null if the server does not know it.</summary>
    public ITrackedRun? ResumeRun(string runId)
    {
        try
        {
            var info = Send(HttpMethod.Get, $"api/2.0/mlflow/runs/get?run_id={Uri.EscapeDataString(runId)}", null)?["run"]?["info"];
            return info is null ? null : new RestRun(this, runId, info["artifact_uri"]?.GetValue<string>() ?? "");
        }
        catch (TrackingException e) when (e.ErrorCode == "RESOURCE_DOES_NOT_EXIST" || e.Status == 404)
        {
            return null;
        }
    }

    private string GetOrCreateExperiment(string name)
    {
        try
        {
            var found = Send(HttpMethod.Get, $"api/2.0/mlflow/experiments/get-by-name?experiment_name={Uri.EscapeDataString(name)}", null);
            return found?["experiment"]?["experiment_id"]?.GetValue<string>() ?? throw new TrackingException("no experiment id in the answer");
        }
        catch (TrackingException e) when (e.ErrorCode == "RESOURCE_DOES_NOT_EXIST")
        {
            var created = Send(HttpMethod.Post, "api/2.0/mlflow/experiments/create", new JsonObject
            {
                ["name"] = name,
                ["tags"] = new JsonArray(new JsonObject { ["key"] = "mlflow.experimentKind", ["value"] = "custom_model_development" }),
            });
            return created?["experiment_id"]?.GetValue<string>() ?? throw new TrackingException("no experiment id in the answer");
        }
    }

    /// <summary>
    /// Sends one request with retries; returns the parsed JSON answer (or null for an empty body). The whole request,
    /// attempts and backoff included, ends by its deadline: a server that never answers costs the timeout, not
    /// attempts × a socket timeout.
    /// </summary>
    internal JsonNode? Send(HttpMethod method, string path, JsonNode? body, byte[]? rawBody = null)
    {
        var random = new Random();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var what = $"{method} {path.Split('?')[0].Replace("api/2.0/", "", StringComparison.Ordinal)}";
        using var notice = _notice is null ? null : new Timer(_ => _notice(
            $"tracking: waiting for the MLflow server at {Location} to answer {what} ({NoticeAfter.TotalSeconds:0.#} s so far); " +
            $"after {_timeout.TotalSeconds:0.#} s in all (tracking.timeout_seconds) the run gives up on it and writes its runs to " +
            $"{TrackerFactory.SpillFolder}/."), null, NoticeAfter, Timeout.InfiniteTimeSpan);
        for (int attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(_base, path));
            if (rawBody is not null) request.Content = new ByteArrayContent(rawBody);
            else if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            var remaining = _timeout - clock.Elapsed;
            HttpResponseMessage response;
            try
            {
                if (remaining <= TimeSpan.Zero) throw new TaskCanceledException("the request's time ran out");
                using var deadline = new CancellationTokenSource(remaining);
                response = _http.Send(request, deadline.Token);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException &&
                                      attempt < _maxAttempts && clock.Elapsed < _timeout)
            {
                Wait(attempt, null, random, clock); // connection failures are retried like 5xx
                continue;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException)
            {
                var why = clock.Elapsed >= _timeout ? $"no answer to {what} within {_timeout.TotalSeconds:0.#} s (tracking.timeout_seconds)" : e.Message;
                throw new TrackingException($"cannot reach the MLflow server at {Location} after {attempt} attempt{(attempt == 1 ? "" : "s")} ({why}); " +
                                            "check MLFLOW_TRACKING_URI or that the server is running.");
            }
            using (response)
            {
                var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                int status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode) return text.Length == 0 ? null : ParseOrNull(text);
                bool retryable = status is 408 or 429 || status >= 500;
                if (retryable && attempt < _maxAttempts && clock.Elapsed < _timeout)
                {
                    Wait(attempt, response.Headers.RetryAfter, random, clock);
                    continue;
                }
                var error = ParseOrNull(text);
                var code = error?["error_code"]?.GetValue<string>();
                var message = error?["message"]?.GetValue<string>() ?? (text.Length > 300 ? text[..300] + "…" : text);
                var hint = status is 401 or 403
                    ? " The server refused the credentials: check MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD."
                    : "";
                throw new TrackingException($"MLflow {method} {path.Split('?')[0]} failed: HTTP {status} {code}: {message}.{hint}", code, status);
            }
        }
    }

    private void Wait(int attempt, RetryConditionHeaderValue? retryAfter, Random random, System.Diagnostics.Stopwatch clock)
    {
        var delay = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : (TimeSpan?)null);
        if (delay is null || delay < TimeSpan.Zero)
        {
            double backoff = _baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
            delay = TimeSpan.FromMilliseconds(backoff * (0.5 + random.NextDouble())); // jitter: 50%-150%
        }
        var left = _timeout - clock.Elapsed;
        Thread.Sleep(delay.Value < left ? delay.Value : left > TimeSpan.Zero ? left : TimeSpan.Zero); // never past the deadline
    }

    private static JsonNode? ParseOrNull(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return null; }
    }

    internal static JsonNode Number(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "Infinity" : double.IsNegativeInfinity(value) ? "-Infinity" : JsonValue.Create(value)!;

    private sealed class RestRun(MlflowRestTracker tracker, string runId, string artifactUri) : ITrackedRun
    {
        private readonly List<(string Key, double Value, long Step, long Timestamp)> _metrics = [];
        private readonly List<(string Key, string Value)> _params = [];
        private readonly List<(string Key, string Value)> _tags = [];
        private readonly object _gate = new();
        private bool _ended;

        public string RunId => runId;

        public void LogParams(IReadOnlyDictionary<string, string> parameters)
        {
            lock (_gate) _params.AddRange(parameters.Select(p => (MlflowKeys.Sanitize(p.Key), MlflowKeys.Truncate(p.Value, MlflowKeys.MaxParamValue))));
            FlushIfFull();
        }

        public void LogMetric(string key, double value, long step = 0) => LogMetrics([(key, value, step)]);

        public void LogMetrics(IEnumerable<(string Key, double Value, long Step)> metrics)
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            LogMetricsAt(metrics.Select(m => (m.Key, m.Value, m.Step, now)));
        }

        public void LogMetricsAt(IEnumerable<(string Key, double Value, long Step, long Timestamp)> metrics)
        {
            lock (_gate) _metrics.AddRange(metrics.Select(m => (MlflowKeys.Sanitize(m.Key), m.Value, m.Step, m.Timestamp)));
            FlushIfFull();
        }

        public void SetTag(string key, string value)
        {
            lock (_gate) _tags.Add((MlflowKeys.Sanitize(key), MlflowKeys.Truncate(value, MlflowKeys.MaxRunTagValue)));
        }

        /// <summary>runs/log-inputs: each dataset with its context tag (the server keeps one dataset per name and digest).</summary>
        public void LogInputs(IReadOnlyList<DatasetInput> datasets)
        {
            if (datasets.Count == 0 || tracker._inputsUnsupported) return;
            try
            {
                SendInputs(datasets);
            }
            catch (TrackingException e) when (e.Status == 404 && e.ErrorCode is null or "ENDPOINT_NOT_FOUND")
            {
                // A server older than dataset inputs (MLflow < 2.4): the runs are complete without them.
                tracker._inputsUnsupported = true;
                tracker._notice?.Invoke($"note: the MLflow server at {tracker.Location} has no runs/log-inputs (MLflow before 2.4): runs are logged without dataset inputs.");
            }
        }

        private void SendInputs(IReadOnlyList<DatasetInput> datasets)
        {
            tracker.Send(HttpMethod.Post, "api/2.0/mlflow/runs/log-inputs", new JsonObject
            {
                ["run_id"] = runId,
                ["datasets"] = new JsonArray(datasets.Select(d => (JsonNode)new JsonObject
                {
                    ["tags"] = new JsonArray(new JsonObject { ["key"] = DatasetInput.ContextTag, ["value"] = d.Context }),
                    ["dataset"] = new JsonObject
                    {
                        ["name"] = d.Name, ["digest"] = d.Digest, ["source_type"] = d.SourceType, ["source"] = d.Source,
                        ["schema"] = d.Schema, ["profile"] = d.Profile,
                    },
                }).ToArray()),
            });
        }

        public void LogArtifact(string localPath, string? artifactDirectory = null)
        {
            const string scheme = "mlflow-artifacts:";
            if (!artifactUri.StartsWith(scheme, StringComparison.Ordinal))
                throw new TrackingException($"the run's artifact_uri '{artifactUri}' is not served by the MLflow server's artifact proxy " +
                                            "(start the server with --serve-artifacts); artifacts stay in outputs/.");
            var root = artifactUri[scheme.Length..].TrimStart('/');
            var relative = string.Join('/', new[] { artifactDirectory, Path.GetFileName(localPath) }.Where(p => !string.IsNullOrEmpty(p))
                .Select(p => Uri.EscapeDataString(p!)));
            tracker.Send(HttpMethod.Put, $"api/2.0/mlflow-artifacts/artifacts/{root}/{relative}", null, File.ReadAllBytes(localPath));
        }

        private void FlushIfFull()
        {
            bool full;
            lock (_gate) full = _metrics.Count >= MaxMetricsPerBatch || _params.Count >= MaxParamsPerBatch;
            if (full) Flush();
        }

        /// <summary>Sends everything buffered in log-batch requests within MLflow's per-request limits.</summary>
        public void Flush()
        {
            lock (_gate)
            {
                while (_metrics.Count > 0 || _params.Count > 0 || _tags.Count > 0)
                {
                    int p = Math.Min(_params.Count, MaxParamsPerBatch);
                    int t = Math.Min(_tags.Count, Math.Min(MaxTagsPerBatch, MaxItemsPerBatch - p));
                    int m = Math.Min(_metrics.Count, Math.Min(MaxMetricsPerBatch, MaxItemsPerBatch - p - t));
                    tracker.Send(HttpMethod.Post, "api/2.0/mlflow/runs/log-batch", new JsonObject
                    {
                        ["run_id"] = runId,
                        ["metrics"] = new JsonArray(_metrics.Take(m).Select(x => (JsonNode)new JsonObject
                        {
                            ["key"] = x.Key, ["value"] = Number(x.Value), ["timestamp"] = x.Timestamp, ["step"] = x.Step,
                        }).ToArray()),
                        ["params"] = new JsonArray(_params.Take(p).Select(x => (JsonNode)new JsonObject { ["key"] = x.Key, ["value"] = x.Value }).ToArray()),
                        ["tags"] = new JsonArray(_tags.Take(t).Select(x => (JsonNode)new JsonObject { ["key"] = x.Key, ["value"] = x.Value }).ToArray()),
                    });
                    _metrics.RemoveRange(0, m);
                    _params.RemoveRange(0, p);
                    _tags.RemoveRange(0, t);
                }
            }
        }

        public void End(RunStatus status) => EndAt(status, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        public void EndAt(RunStatus status, long endTimeMs)
        {
            lock (_gate)
            {
                if (_ended) return;
                _ended = true;
            }
            Flush();
            tracker.Send(HttpMethod.Post, "api/2.0/mlflow/runs/update", new JsonObject
            {
                ["run_id"] = runId,
                ["status"] = status.ToString().ToUpperInvariant(),
                ["end_time"] = endTimeMs,
            });
        }

        public void Dispose()
        {
            try { End(RunStatus.Failed); }
            catch (TrackingException) { /* the server is gone: nothing more can be recorded */ }
        }
    }
}

/// <summary>A tracking server refused or could not be reached; the message says which and why.</summary>
public sealed class TrackingException(string message, string? errorCode = null, int? status = null) : Exception(message)
{
    public string? ErrorCode { get; } = errorCode;
    public int? Status { get; } = status;
}
