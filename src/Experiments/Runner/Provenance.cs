using Harness.Core.Runtime;
using Harness.Core.Specs;

namespace Harness.Experiments.Runner;

/// <summary>The MLflow tags that say where a run came from: code, user, device, threads, libraries, seed and data.</summary>
public static class Provenance
{
    /// <summary>The tags of the parent run (item null) or of one experiment's run.</summary>
    public static IReadOnlyDictionary<string, string> Tags(CodeVersion code, RunOptions options, ExperimentsFile file,
        DatasetMaterializer datasets, TorchSharp.torch.Device device, PlannedExperiment? item)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["mlflow.user"] = Environment.UserName,
            ["mlflow.source.name"] = "harness",
            ["mlflow.source.type"] = "LOCAL",
            ["mlflow.source.git.commit"] = code.Commit,
            ["mlflow.source.git.branch"] = code.Branch,
            ["harness.dirty"] = code.Dirty ? "true" : "false",
            ["harness.device"] = DeviceSelector.ClassOf(device),
            ["harness.threads"] = options.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["harness.torchsharp"] = TorchRuntime.TorchSharpVersion,
            ["harness.libtorch"] = TorchRuntime.LibTorchVersion,
            ["harness.golden"] = options.Golden ? "true" : "false",
            ["harness.project"] = file.Project,
            [Harness.Core.Tracking.ITracker.ProcessTag] = ProcessIdentity.Current,
        };
        foreach (var (key, value) in HardwareProvenance.Describe()) tags[$"harness.hw.{key}"] = value;
        if (item is not null)
        {
            tags["harness.kind"] = item.Spec.Kind;
            tags["harness.spec_hash"] = item.Hash;
            tags["harness.seed"] = item.Spec.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
            tags["harness.seed_stream"] = item.Spec.RandomStream;
            foreach (var input in item.Spec.Inputs)
                if (file.FindDataset(input) is { } d) tags[$"harness.dataset.{input}"] = datasets.Get(d).Fingerprint;
        }
        return tags;
    }

}
