using System.Diagnostics;
using System.Text.Json;
using Harness.Core;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Runtime;
using Harness.Core.Specs;
using Harness.Core.Tracking;

namespace Harness.Experiments.Runner;

/// <summary>
/// Runs declared experiments in dependency order. Each result lives in outputs/ID/HASH/ and is reused while the hash
/// (settings, inputs, data, code version) is unchanged. A result folder appears only complete (built aside, then
/// renamed), so an interrupted run never leaves one that looks finished.
/// </summary>
public sealed class ExperimentRunner
{
    public const string ResultFileName = "result.json";

    private readonly ExperimentsFile _file;
    private readonly RunOptions _options;
    private readonly ITracker _tracker;
    private readonly IProgressReporter _progress;
    private readonly TextWriter _log;
    private readonly DatasetMaterializer _datasets;
    private readonly CodeVersion _code;

    public ExperimentRunner(ExperimentsFile file, RunOptions options, ITracker tracker, IProgressReporter progress,
        TextWriter log, CodeVersion? code = null)
    {
        _file = file;
        _options = options;
        _tracker = tracker;
        _progress = progress;
        _log = log;
        _datasets = new DatasetMaterializer(file.Path);
        _code = code ?? CodeVersion.OfThisProgram;
    }

    /// <summary>The experiments to run for these ids (all when empty) and what they need, in dependency order.</summary>
    public IReadOnlyList<PlannedExperiment> Plan(IReadOnlyList<string> ids)
    {
        var unknown = ids.Where(id => _file.Resolve(id) is null).ToList();
        if (unknown.Count > 0)
            throw new UserInputException($"unknown experiment id{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}; " +
                                         $"{_file.Path} declares: {string.Join(", ", _file.Experiments.Select(e => e.Id))}" +
                                         (_file.Matrices is { Count: > 0 } m ? $" (and the matrices {string.Join(", ", m.Keys)})" : ""));
        var wanted = ids.Count == 0 ? _file.Experiments.Select(e => e.Id).ToList() : ids.SelectMany(id => _file.Resolve(id)!).ToList();
        var order = new List<ExperimentSpec>();
        var seen = new HashSet<string>();
        void Visit(ExperimentSpec spec)
        {
            if (!seen.Add(spec.Id)) return;
            foreach (var input in spec.Inputs)
                if (_file.FindExperiment(input) is { } dependency) Visit(dependency);
            order.Add(spec);
        }
        foreach (var id in wanted) Visit(_file.FindExperiment(id)!);

        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var planned = new List<PlannedExperiment>();
        var deviceClass = DeviceSelector.ClassOf(DeviceSelector.Resolve(_options.Device));
        foreach (var spec in order)
        {
            var inputHashes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var input in spec.Inputs)
            {
                inputHashes[input] = _file.FindDataset(input) is { } dataset
                    ? SpecHasher.DatasetHash(dataset, _datasets.Get(dataset).Fingerprint)
                    : hashes[input];
            }
            var hash = SpecHasher.ExperimentHash(spec, _options.Golden, spec.Inputs.Select(i => $"{i}={inputHashes[i]}"), _code,
                deviceClass, _options.Threads);
            hashes[spec.Id] = hash;
            var directory = Path.GetFullPath(Path.Combine(_options.OutputsDirectory, spec.Id, hash));
            bool cached = File.Exists(Path.Combine(directory, ResultFileName));
            planned.Add(new PlannedExperiment(spec, KindCatalog.Get(spec.Kind), hash, directory, cached, inputHashes));
        }
        return planned;
    }

    /// <summary>Runs the plan; returns each experiment's record (cached or fresh).</summary>
    public IReadOnlyList<ExperimentRecord> Run(IReadOnlyList<string> ids, CancellationToken cancellation = default)
    {
        var plan = Plan(ids);
        var device = DeviceSelector.Resolve(_options.Device);
        TorchRuntime.PinThreads(_options.Threads);
        EnsureWritableOutputs();

        using var parent = _tracker.StartRun($"harness run {(ids.Count == 0 ? "(all)" : string.Join(" ", ids))}", null,
            ProvenanceTags(device, null));
        var outputs = new Dictionary<string, IExperimentOutput>(StringComparer.Ordinal);
        var records = new List<ExperimentRecord>();
        var entries = new List<RunReport.Entry>();
        try
        {
            foreach (var item in plan)
            {
                cancellation.ThrowIfCancellationRequested();
                var inputs = item.Spec.Inputs
                    .Select(id => _file.FindDataset(id) is { } d ? (object)_datasets.Get(d) : outputs[id]).ToList();
                var settings = item.Spec.SettingsFor(_options.Golden);
                void Reuse(string how)
                {
                    outputs[item.Spec.Id] = item.Kind.Load(item.Directory, settings);
                    var reused = ReadRecord(item.ResultPath);
                    records.Add(reused);
                    entries.Add(new RunReport.Entry(item, reused, outputs[item.Spec.Id], Reused: true));
                    _log.WriteLine($"{item.Spec.Id}: {how} ({Relative(item.Directory)})");
                }
                if (item.Cached && !_options.Force)
                {
                    Reuse("cached result reused");
                    continue;
                }
                using var exclusive = ExperimentLock.Acquire(Path.Combine(Path.GetDirectoryName(item.Directory)!, $".lock-{item.Hash}"),
                    () => _log.WriteLine($"{item.Spec.Id}: waiting for another harness process that is computing it…"), cancellation);
                if (!_options.Force && File.Exists(item.ResultPath))
                {
                    Reuse("finished by another process while this one waited, reused");
                    continue;
                }
                var (output, record) = RunOne(item, settings, inputs, device, parent.RunId, cancellation);
                outputs[item.Spec.Id] = output;
                records.Add(record);
                entries.Add(new RunReport.Entry(item, record, output, Reused: false));
            }
            foreach (var printed in plan.Select(p => outputs[p.Spec.Id]).OfType<IPrintedOutput>())
                _log.WriteLine(Environment.NewLine + printed.Describe());
            WriteReport(parent, device, ids, entries);
            parent.End(RunStatus.Finished);
        }
        catch (OperationCanceledException)
        {
            parent.SetTag("harness.interrupted", "true");
            parent.End(RunStatus.Killed);
            throw;
        }
        catch (Exception e)
        {
            parent.SetTag("harness.error", e.Message);
            parent.End(RunStatus.Failed);
            throw;
        }
        return records;
    }

    /// <summary>Fails early, as the user's mistake, when the outputs folder is a file or cannot be written.</summary>
    private void EnsureWritableOutputs()
    {
        var outputs = Path.GetFullPath(_options.OutputsDirectory);
        if (File.Exists(outputs))
            throw new UserInputException($"the outputs folder {outputs} is a file, not a folder: move it away or pass --outputs DIR.");
        try
        {
            Directory.CreateDirectory(outputs);
            var probe = Path.Combine(outputs, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot write to the outputs folder {outputs} ({e.Message}): pass --outputs DIR with a writable folder.");
        }
    }

    /// <summary>outputs/report.md (replaced by every run; each run's copy is an artifact of its parent MLflow run).</summary>
    private void WriteReport(ITrackedRun parent, TorchSharp.torch.Device device, IReadOnlyList<string> ids, IReadOnlyList<RunReport.Entry> entries)
    {
        var provenance = new List<(string, string)>
        {
            ("command", $"harness run {(ids.Count == 0 ? "(all)" : string.Join(" ", ids))}{(_options.Golden ? " --golden" : "")}"),
            ("experiments file", _file.Path),
            ("commit", _code.ToString()),
            ("device", DeviceSelector.ClassOf(device)),
            ("threads", _options.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("MLflow parent run", parent.RunId),
        };
        provenance.AddRange(RunReport.PackageVersions());
        var text = RunReport.Build($"Harness run: {_file.Project}", _options.OutputsDirectory,
            provenance.ToDictionary(p => p.Item1, p => p.Item2), entries, DateTime.UtcNow);
        var path = Path.Combine(_options.OutputsDirectory, RunReport.FileName);
        Directory.CreateDirectory(_options.OutputsDirectory);
        AtomicFile.WriteAllText(path, text);
        parent.LogArtifact(path);
        _log.WriteLine($"{Environment.NewLine}report: {Relative(path)}");
    }

    private (IExperimentOutput, ExperimentRecord) RunOne(PlannedExperiment item, object settings, List<object> inputs,
        TorchSharp.torch.Device device, string parentRunId, CancellationToken cancellation)
    {
        var parentFolder = Path.GetDirectoryName(item.Directory)!;
        Directory.CreateDirectory(parentFolder);
        var staging = Path.Combine(parentFolder, $".staging-{item.Hash}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        // Progress checkpoints of an interrupted run live beside the result; only --resume continues from them.
        var checkpoints = Path.Combine(parentFolder, $".resume-{item.Hash}");
        if (!_options.Resume && Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true);
        using var run = _tracker.StartRun(item.Spec.Id, parentRunId, ProvenanceTags(device, item));
        _log.WriteLine($"{item.Spec.Id}: running {item.Spec.Kind} (hash {item.Hash}{(_options.Golden ? ", golden size" : "")})");
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        try
        {
            run.LogParams(ResolvedSpecWriter.Flatten(settings));
            var context = new RunContext(item.Spec.RandomStream, item.Spec.Seed, _options.Golden, device, _options.Threads, run,
                _progress, staging, cancellation, checkpoints);
            var output = item.Kind.Run(context, settings, inputs);
            output.Save(staging);
            var record = new ExperimentRecord(item.Spec.Id, item.Spec.Kind, item.Hash, item.Spec.Seed, _options.Golden,
                DeviceSelector.ClassOf(device), _options.Threads, _code.ToString(), started, clock.Elapsed.TotalSeconds,
                item.InputHashes, SpecHasher.CanonicalSettings(settings),
                JsonSerializer.SerializeToNode(output.Summary, output.Summary.GetType(), HarnessJson.Options));
            File.WriteAllText(Path.Combine(staging, "spec.yaml"), ResolvedSpecWriter.ToYaml(item.Spec, _options.Golden, item.Hash));
            // result.json last: its presence marks the folder complete.
            AtomicFile.WriteAllText(Path.Combine(staging, ResultFileName), Serialize(record));
            Publish(staging, item.Directory, replace: _options.Force);
            if (Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true);
            foreach (var file in Directory.EnumerateFiles(item.Directory)) run.LogArtifact(file);
            run.SetTag("mlflow.note.content", output.Describe());
            run.End(RunStatus.Finished);
            _log.WriteLine($"{item.Spec.Id}: done in {clock.Elapsed.TotalSeconds:F1} s -> {Relative(item.Directory)}");
            return (output, record);
        }
        catch (OperationCanceledException)
        {
            run.End(RunStatus.Killed);
            throw;
        }
        catch (IOException e)
        {
            run.SetTag("harness.error", e.Message);
            run.End(RunStatus.Failed);
            throw new IOException($"{item.Spec.Id}: writing its result failed ({e.Message}); nothing was published and the partial " +
                                  "files were removed. Fix the cause (disk space, permissions) and run it again.", e);
        }
        catch (Exception e)
        {
            run.SetTag("harness.error", e.Message);
            run.End(RunStatus.Failed);
            throw;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Moves a finished staging folder into place. A complete folder already there wins (a concurrent run produced the
    /// same result), unless replace is set (--force): then the old folder is moved aside first and removed after.
    /// </summary>
    private static void Publish(string staging, string target, bool replace)
    {
        string? aside = null;
        if (Directory.Exists(target))
        {
            if (File.Exists(Path.Combine(target, ResultFileName)) && !replace) return;
            aside = target + $".old-{Guid.NewGuid():N}";
            Directory.Move(target, aside);
        }
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (File.Exists(Path.Combine(target, ResultFileName)))
        {
            // Another process published the same result first: identical by construction.
        }
        if (aside is not null) Directory.Delete(aside, recursive: true);
    }

    private IReadOnlyDictionary<string, string> ProvenanceTags(TorchSharp.torch.Device device, PlannedExperiment? item)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["mlflow.user"] = Environment.UserName,
            ["mlflow.source.name"] = "harness",
            ["mlflow.source.type"] = "LOCAL",
            ["mlflow.source.git.commit"] = _code.Commit,
            ["mlflow.source.git.branch"] = _code.Branch,
            ["harness.dirty"] = _code.Dirty ? "true" : "false",
            ["harness.device"] = DeviceSelector.ClassOf(device),
            ["harness.threads"] = _options.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["harness.torchsharp"] = TorchRuntime.TorchSharpVersion,
            ["harness.libtorch"] = TorchRuntime.LibTorchVersion,
            ["harness.golden"] = _options.Golden ? "true" : "false",
            ["harness.project"] = _file.Project,
        };
        if (item is not null)
        {
            tags["harness.kind"] = item.Spec.Kind;
            tags["harness.spec_hash"] = item.Hash;
            tags["harness.seed"] = item.Spec.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
            tags["harness.seed_stream"] = item.Spec.RandomStream;
            foreach (var input in item.Spec.Inputs)
                if (_file.FindDataset(input) is { } d) tags[$"harness.dataset.{input}"] = _datasets.Get(d).Fingerprint;
        }
        return tags;
    }

    public static string Serialize(ExperimentRecord record) =>
        JsonSerializer.Serialize(record, HarnessJson.Indented) + "\n";

    public static ExperimentRecord ReadRecord(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ExperimentRecord>(File.ReadAllText(path), HarnessJson.Options)
                   ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: the cached result is damaged ({e.Message}); rerun with --force.");
        }
    }

    /// <summary>The kind's result record of a finished experiment folder (for kinds that restore from cache).</summary>
    public static T ReadResult<T>(string directory) where T : class
    {
        var path = Path.Combine(directory, ResultFileName);
        var result = ReadRecord(path).Result;
        return (result is null ? null : JsonSerializer.Deserialize<T>(result, HarnessJson.Options))
               ?? throw new UserInputException($"{path}: the cached result has no result record; rerun with --force.");
    }

    private static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);
}
