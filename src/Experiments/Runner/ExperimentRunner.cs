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
        if (ids.FirstOrDefault(id => id.StartsWith('-')) is { } option)
            throw new UserInputException($"unknown option '{option}' (an experiment id never starts with '-'); --help after the verb lists its options.");
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
                deviceClass, _options.Threads, Numerics.Mode);
            hashes[spec.Id] = hash;
            var directory = Path.GetFullPath(Path.Combine(_options.OutputsDirectory, spec.Id, hash));
            bool cached = File.Exists(Path.Combine(directory, ResultFolder.ResultFileName));
            var readsSealed = spec.Inputs.SelectMany(input => _file.FindExperiment(input) is { } source
                    ? (source.Sealed ? [source.Id] : planned.First(p => p.Spec.Id == input).ReadsSealed)
                    : [])
                .Distinct().ToList();
            planned.Add(new PlannedExperiment(spec, KindCatalog.Get(spec.Kind), hash, directory, cached, inputHashes, readsSealed));
        }
        return planned;
    }

    /// <summary>
    /// The plan without what reads a sealed split, unless this run unseals (golden runs are exempt: their sizes are not
    /// the sealed tasks' claims). Asked for by id, such an experiment is refused; in a run of everything it is skipped
    /// with a note, so that `harness run` never opens the sealed split by accident.
    /// </summary>
    private IReadOnlyList<PlannedExperiment> Unsealed(IReadOnlyList<PlannedExperiment> plan, IReadOnlyList<string> ids)
    {
        if (_options.Golden || _options.Unseal is not null) return plan;
        var sealedOnes = plan.Where(p => p.ReadsSealed.Count > 0).ToList();
        if (sealedOnes.Count == 0) return plan;
        var asked = ids.SelectMany(id => _file.Resolve(id) ?? []).ToHashSet(StringComparer.Ordinal);
        var refused = sealedOnes.Where(p => asked.Contains(p.Spec.Id)).ToList();
        if (refused.Count > 0)
            throw new UserInputException($"{string.Join(", ", refused.Select(p => p.Spec.Id))} read{(refused.Count == 1 ? "s" : "")} the sealed split " +
                                         $"{string.Join(", ", refused.SelectMany(p => p.ReadsSealed).Distinct())}: sealed tasks are for final claims, " +
                                         "opened once per claim. Run it with --unseal \"why this is the final claim\" (the unsealing is added to " +
                                         $"{LedgerPath} and tagged in MLflow), or use the validation split for design work.");
        foreach (var p in sealedOnes)
            _log.WriteLine($"{p.Spec.Id}: skipped, it reads the sealed split {string.Join(", ", p.ReadsSealed)} (run it by id with --unseal \"reason\" for a final claim)");
        return plan.Where(p => p.ReadsSealed.Count == 0).ToList();
    }

    private string LedgerPath => _options.Ledger ?? UnsealingLedger.DefaultPath(_file.Path);

    /// <summary>The plan as `Run` would run it: without the sealed split's readers unless this run unseals.</summary>
    public IReadOnlyList<PlannedExperiment> PlanToRun(IReadOnlyList<string> ids) => Unsealed(Plan(ids), ids);

    /// <summary>Runs the plan; returns each experiment's record (cached or fresh).</summary>
    public IReadOnlyList<ExperimentRecord> Run(IReadOnlyList<string> ids, CancellationToken cancellation = default)
    {
        var plan = Unsealed(Plan(ids), ids);
        var device = DeviceSelector.Resolve(_options.Device);
        TorchRuntime.PinThreads(_options.Threads);
        ResultFolder.EnsureWritableOutputs(_options.OutputsDirectory);
        // What a killed process (SIGKILL, a crash, a lost node) left: runs still RUNNING, staging folders, temporary files.
        if (_tracker.EndRunsOfDeadProcesses() is > 0 and var ended)
            _log.WriteLine($"marked {ended} run(s) of processes that died KILLED in {_tracker.Location}");
        if (ResultFolder.RemoveStale(_options.OutputsDirectory) is > 0 and var removed)
            _log.WriteLine($"removed {removed} staging folder(s) and temporary file(s) that processes which died left in {Relative(_options.OutputsDirectory)}");

        using var parent = _tracker.StartRun($"harness run {(ids.Count == 0 ? "(all)" : string.Join(" ", ids))}", null,
            Provenance.Tags(_code, _options, _file, _datasets, device, null));
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
                    var reused = ResultFolder.ReadRecord(item.ResultPath);
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
        provenance.AddRange(HardwareProvenance.Describe().Select(h => (h.Key.Replace('_', ' '), h.Value)));
        provenance.AddRange(RunReport.PackageVersions());
        var text = RunReport.Build($"Harness run: {_file.Project}", _options.OutputsDirectory,
            provenance.DistinctBy(p => p.Item1).ToDictionary(p => p.Item1, p => p.Item2), entries, DateTime.UtcNow);
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
        var staging = ResultFolder.CreateStaging(item.Directory, item.Hash);
        // Progress checkpoints of an interrupted run live beside the result; only --resume continues from them.
        var checkpoints = Path.Combine(parentFolder, $".resume-{item.Hash}");
        if (!_options.Resume && Directory.Exists(checkpoints))
        {
            int epochs = Directory.GetDirectories(checkpoints, "epoch-*").Length;
            _log.WriteLine($"{item.Spec.Id}: an interrupted run left a resume point ({epochs} finished epoch(s) in {Relative(checkpoints)}); " +
                           "starting over without --resume, which discards it (./harness run --resume continues from it instead)");
            Directory.Delete(checkpoints, recursive: true);
        }
        var tags = new Dictionary<string, string>(Provenance.Tags(_code, _options, _file, _datasets, device, item), StringComparer.Ordinal);
        bool unsealing = !_options.Golden && _options.Unseal is not null && item.ReadsSealed.Count > 0;
        if (unsealing)
        {
            tags["harness.unsealed"] = string.Join(",", item.ReadsSealed);
            tags["harness.unsealed_reason"] = _options.Unseal!;
        }
        using var run = _tracker.StartRun(item.Spec.Id, parentRunId, tags);
        // System metrics stop before the run ends: no sample lands after its end time.
        var systemMetrics = SystemMetrics.Start(run, _options.SystemMetrics ? _file.Tracking.SystemMetricsSeconds : 0);
        void End(RunStatus status)
        {
            systemMetrics.Dispose();
            run.End(status);
        }
        _log.WriteLine($"{item.Spec.Id}: running {item.Spec.Kind} (hash {item.Hash}{(_options.Golden ? ", golden size" : "")})");
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        try
        {
            run.LogParams(ResolvedSpecWriter.Flatten(settings));
            var datasetInputs = DatasetInputs.Of(item, inputs, _file, _datasets);
            run.LogInputs(datasetInputs);
            var context = new RunContext(item.Spec.RandomStream, item.Spec.Seed, _options.Golden, device, _options.Threads, run,
                _progress, staging, cancellation, checkpoints, item.Spec.Inputs,
                (name, parent) => _tracker.StartRun($"{item.Spec.Id}/{name}", parent ?? run.RunId, tags), datasetInputs);
            var output = item.Kind.Run(context, settings, inputs);
            output.Save(staging);
            var record = new ExperimentRecord(item.Spec.Id, item.Spec.Kind, item.Hash, item.Spec.Seed, _options.Golden,
                DeviceSelector.ClassOf(device), _options.Threads, Numerics.Mode.Name(), _code.ToString(),
                HardwareProvenance.Describe().ToDictionary(h => h.Key, h => h.Value), started, clock.Elapsed.TotalSeconds,
                item.InputHashes, SpecHasher.CanonicalSettings(settings),
                JsonSerializer.SerializeToNode(output.Summary, output.Summary.GetType(), HarnessJson.Options));
            File.WriteAllText(Path.Combine(staging, "spec.yaml"), ResolvedSpecWriter.ToYaml(item.Spec, _options.Golden, item.Hash));
            // result.json last: its presence marks the folder complete.
            AtomicFile.WriteAllText(Path.Combine(staging, ResultFolder.ResultFileName), ResultFolder.Serialize(record));
            ResultFolder.Publish(staging, item.Directory, replace: _options.Force);
            if (unsealing)
            {
                UnsealingLedger.Append(LedgerPath, new UnsealingLedger.Entry(DateTime.UtcNow, _code.ToString(), item.Spec.Id, item.Hash,
                    item.ReadsSealed, _options.Unseal!));
                _log.WriteLine($"{item.Spec.Id}: unsealed {string.Join(", ", item.ReadsSealed)}; recorded in {Relative(LedgerPath)}");
            }
            if (Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true);
            foreach (var file in Directory.EnumerateFiles(item.Directory)) run.LogArtifact(file);
            run.SetTag("mlflow.note.content", Note(output, item.Directory));
            End(RunStatus.Finished);
            _log.WriteLine($"{item.Spec.Id}: done in {clock.Elapsed.TotalSeconds:F1} s -> {Relative(item.Directory)}");
            return (output, record);
        }
        catch (OperationCanceledException)
        {
            End(RunStatus.Killed);
            throw;
        }
        catch (IOException e)
        {
            run.SetTag("harness.error", e.Message);
            End(RunStatus.Failed);
            throw new IOException($"{item.Spec.Id}: writing its result failed ({e.Message}); nothing was published and the partial " +
                                  "files were removed. Fix the cause (disk space, permissions) and run it again.", e);
        }
        catch (Exception e)
        {
            run.SetTag("harness.error", e.Message);
            End(RunStatus.Failed);
            throw;
        }
        finally
        {
            systemMetrics.Dispose();
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>The run's note: the description, or where it does not fit MLflow's limit the headline and the tables' artifacts.</summary>
    internal static string Note(IExperimentOutput output, string folder) =>
        RunNote.Compose(output.Describe(), output is IHeadlineOutput h ? h.Headline() : output.Describe(),
            Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>()
                .Where(n => n.EndsWith(".html", StringComparison.Ordinal) || n.EndsWith(".md", StringComparison.Ordinal))
                .OrderBy(n => n.EndsWith(".md", StringComparison.Ordinal)).ThenBy(n => n, StringComparer.Ordinal).ToList());

    private static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);
}
