using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Specs;
using Harness.Core.Tracking;
using Harness.Experiments.Kinds;

namespace Harness.Experiments.Runner;

/// <summary>
/// The MLflow dataset inputs of one experiment's run: every declared dataset and every split it reads, in the context
/// its kind reads it (<see cref="IExperimentKind.InputRole"/>). A dataset's digest is its fingerprint's first 16 hex
/// digits (MLflow's SQL stores keep 36 characters; the whole fingerprint is in the source), its source the generator's
/// parameters (source type "code") or the CSV file (type "local"); a split's digest is its tasks' fingerprint and its
/// source the split's spec. Schema is MLflow's colspec, profile the rows and class counts.
/// </summary>
public static class DatasetInputs
{
    public static IReadOnlyList<DatasetInput> Of(PlannedExperiment item, IReadOnlyList<object> inputs, ExperimentsFile file, DatasetMaterializer datasets)
    {
        var list = new List<DatasetInput>();
        for (int i = 0; i < inputs.Count && i < item.Spec.Inputs.Count; i++)
        {
            string id = item.Spec.Inputs[i], role = item.Kind.InputRole(i);
            if (inputs[i] is Dataset data && file.FindDataset(id) is { } spec)
                list.Add(OfDataset(spec, data, datasets, role));
            else if (inputs[i] is SplitOutput split)
                list.Add(OfSplit(id, item.InputHashes.GetValueOrDefault(id), split, role));
        }
        return list;
    }

    public static DatasetInput OfDataset(DatasetSpec spec, Dataset data, DatasetMaterializer datasets, string context)
    {
        var source = spec.Generate is { } g
            ? new JsonObject
            {
                ["generator"] = JsonSerializer.SerializeToNode(DatasetMaterializer.Settings(g), HarnessJson.Options),
                ["seed"] = g.Seed, ["fingerprint"] = data.Fingerprint,
            }
            : new JsonObject { ["uri"] = new Uri(datasets.ResolvePath(spec.CsvPath!)).AbsoluteUri, ["fingerprint"] = data.Fingerprint };
        var profile = new JsonObject
        {
            ["num_rows"] = data.Rows,
            ["class_counts"] = new JsonObject { ["0"] = data.CountOf(0), ["1"] = data.CountOf(1) },
        };
        return new DatasetInput(spec.Id, Digest(data.Fingerprint), spec.Generate is null ? "local" : "code", source.ToJsonString(),
            Schema(data.FeatureNames), profile.ToJsonString(), context);
    }

    public static DatasetInput OfSplit(string id, string? specHash, SplitOutput split, string context)
    {
        var r = (SplitResult)split.Summary;
        var tasks = split.Tasks;
        int Count(Func<SplitTask, float[]> labels, float value) => tasks.Sum(t => labels(t).Count(l => l == value));
        var source = new JsonObject
        {
            ["harness_split"] = id, ["spec_hash"] = specHash, ["dataset_fingerprint"] = r.DatasetFingerprint, ["tasks_fingerprint"] = r.TasksFingerprint,
        };
        var profile = new JsonObject
        {
            ["tasks"] = r.Subsets, ["train_rows_per_task"] = r.TrainRowsPerSubset, ["test_rows_per_task"] = r.TestRowsPerSubset,
            ["num_rows"] = (long)r.Subsets * (r.TrainRowsPerSubset + r.TestRowsPerSubset),
            ["class_counts"] = new JsonObject
            {
                ["0"] = Count(t => t.TrainLabels, 0) + Count(t => t.TestLabels, 0),
                ["1"] = Count(t => t.TrainLabels, 1) + Count(t => t.TestLabels, 1),
            },
        };
        int width = tasks.Count > 0 ? tasks[0].FeatureCount : 2;
        return new DatasetInput(id, Digest(r.TasksFingerprint), "code", source.ToJsonString(),
            Schema(Enumerable.Range(0, width).Select(d => $"x{d}").ToArray(), standardised: true), profile.ToJsonString(), context);
    }

    private static string Digest(string fingerprint)
    {
        var hex = fingerprint.StartsWith("sha256:", StringComparison.Ordinal) ? fingerprint["sha256:".Length..] : fingerprint;
        return hex.Length > 16 ? hex[..16] : hex;
    }

    private static string Schema(IReadOnlyList<string> features, bool standardised = false) =>
        new JsonObject
        {
            ["mlflow_colspec"] = new JsonArray(features
                .Select(f => (JsonNode)new JsonObject { ["type"] = standardised ? "float" : "double", ["name"] = f, ["required"] = true })
                .Append(new JsonObject { ["type"] = "integer", ["name"] = "label", ["required"] = true }).ToArray()),
        }.ToJsonString();
}
