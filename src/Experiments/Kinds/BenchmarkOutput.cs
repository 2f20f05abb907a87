using System.Globalization;
using System.Text;
using Harness.Core.Evaluation;
using Harness.Core.Runtime;
using Harness.Core.Specs;
using Harness.Core.Tracking;
using Harness.Experiments.Runner;

namespace Harness.Experiments.Kinds;

/// <summary>A task set's entry in a benchmark's result: its splits, f and regime, and its comparison's result record.</summary>
public sealed record TaskSetResult(string Id, string Train, string Test, string Shape, CompareResult Result);

/// <summary>A benchmark's result record: every task set's comparison and the generalisation matrix.</summary>
public sealed record BenchmarkResult(IReadOnlyList<TaskSetResult> TaskSets, IReadOnlyList<GeneralisationCell> Matrix);

/// <summary>
/// A benchmark's artifacts: comparison.md (the matrix, then each task set's tables), matrix.csv, generalisation.png
/// (the heat map), and per task set a folder task-sets/ID with that comparison's files, logged to its nested run.
/// </summary>
public sealed class BenchmarkOutput(BenchmarkResult result, IReadOnlyList<ComparisonOutcome> outcomes) : IPrintedOutput
{
    public const string TaskSetsFolder = "task-sets";

    public object Summary => result;
    public BenchmarkResult Result => result;

    /// <summary>The matrix as MLflow metrics on the benchmark's run, stepped by horizon: {set}/{measure}.</summary>
    public static void Log(ITrackedRun run, BenchmarkResult result)
    {
        foreach (var c in result.Matrix)
            run.LogMetrics(new (string, double, long)[]
            {
                ($"{c.TaskSet}/win_rate", c.WinRate, c.Horizon),
                ($"{c.TaskSet}/median_loss_ratio", c.MedianLossRatio, c.Horizon),
                ($"{c.TaskSet}/g_test_accuracy", c.GTestAccuracy, c.Horizon),
                ($"{c.TaskSet}/{c.Reference}_test_accuracy", c.ReferenceTestAccuracy, c.Horizon),
                ($"{c.TaskSet}/g_test_loss", c.GTestLoss, c.Horizon),
                ($"{c.TaskSet}/{c.Reference}_test_loss", c.ReferenceTestLoss, c.Horizon),
            }.Where(m => double.IsFinite(m.Item2)));
    }

    /// <summary>
    /// Writes each task set's comparison files under task-sets/ID and, where a nested run can be opened, logs them
    /// there with the set's params, dataset inputs, metrics and note, and a run per optimizer under it.
    /// </summary>
    public void SaveTaskSets(string directory, Func<string, string?, ITrackedRun>? startChild, IReadOnlyList<TaskSetSettings> declared,
        IReadOnlyList<DatasetInput>? datasets = null)
    {
        for (int i = 0; i < outcomes.Count; i++)
        {
            var set = result.TaskSets[i];
            var folder = Path.Combine(directory, TaskSetsFolder, set.Id);
            Directory.CreateDirectory(folder);
            var output = CompareOutput.Of(outcomes[i], [], 0);
            output.Save(folder);
            if (startChild is null) continue;
            using var child = startChild(set.Id, null);
            var parameters = new Dictionary<string, string>(ResolvedSpecWriter.Flatten(declared[i]), StringComparer.Ordinal)
            {
                ["shape"] = set.Shape,
            };
            child.LogParams(parameters);
            // A task set reads two of the benchmark's splits: baselines are tuned on its train split, all is read on its test split.
            var read = (datasets ?? []).Where(d => d.Name == declared[i].Train).Select(d => d with { Context = "training" })
                .Concat((datasets ?? []).Where(d => d.Name == declared[i].Test).Select(d => d with { Context = "test" }))
                .DistinctBy(d => (d.Name, d.Context)).ToList();
            child.LogInputs(read);
            CompareTracking.Log(child, outcomes[i], name => startChild($"{set.Id}/{name}", child.RunId), read);
            foreach (var file in Directory.EnumerateFiles(folder)) child.LogArtifact(file);
            child.SetTag("mlflow.note.content", Runner.ExperimentRunner.Note(output, folder));
            child.End(RunStatus.Finished);
        }
    }

    private static string Percent(double v) => double.IsFinite(v) ? (v * 100).ToString("F1", CultureInfo.InvariantCulture) : "n/a";
    private static string F(double v, string format = "F3") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        var horizons = result.Matrix.Select(c => c.Horizon).Distinct().Order().ToList();
        string reference = result.Matrix.FirstOrDefault()?.Reference ?? "adam";
        var sb = new StringBuilder();
        sb.Append(inv, $"**benchmark**: g against tuned {reference} on {result.TaskSets.Count} task sets. Each cell: g's win rate on final ")
          .Append("training loss (paired, Holm p), the median loss ratio g/")
          .Append(reference).Append(", and test accuracy g / ").Append(reference).Append(".\n\n");
        sb.Append("| task set | f, batch | ").Append(string.Join(" | ", horizons.Select(h => $"T = {h}"))).Append(" |\n");
        sb.Append("|---|---|").Append(string.Concat(horizons.Select(_ => "---|"))).Append('\n');
        foreach (var set in result.TaskSets)
        {
            sb.Append(inv, $"| {set.Id} | {set.Shape} |");
            foreach (var h in horizons)
            {
                var c = result.Matrix.FirstOrDefault(m => m.TaskSet == set.Id && m.Horizon == h);
                sb.Append(c is null ? " – |" : string.Create(inv,
                    $" wins {Percent(c.WinRate)}% (p {F(c.HolmP, "G2")}) · ratio {F(c.MedianLossRatio)} · acc {Percent(c.GTestAccuracy)} / {Percent(c.ReferenceTestAccuracy)}{(c.GDiverged > 0 ? $" · {c.GDiverged} diverged" : "")} |"));
            }
            sb.Append('\n');
        }
        sb.Append("\nTest loss, g / ").Append(reference).Append(" (and f forward passes per step, g / ").Append(reference)
          .Append(result.TaskSets.FirstOrDefault()?.Result.Budget switch
          {
              Budget.Evaluations => ": horizons are f evaluations, matched; a guarded step costs more of them",
              Budget.Seconds => ": horizons are milliseconds of own time, matched",
              _ => ": steps are matched, evaluations are not",
          })
          .Append("):\n\n| task set | ")
          .Append(string.Join(" | ", horizons.Select(h => $"T = {h}"))).Append(" |\n|---|").Append(string.Concat(horizons.Select(_ => "---|"))).Append('\n');
        foreach (var set in result.TaskSets)
        {
            sb.Append(inv, $"| {set.Id} |");
            foreach (var h in horizons)
            {
                var c = result.Matrix.FirstOrDefault(m => m.TaskSet == set.Id && m.Horizon == h);
                sb.Append(c is null ? " – |" : string.Create(inv,
                    $" {F(c.GTestLoss, "F4")} / {F(c.ReferenceTestLoss, "F4")} ({F(c.GForwardPassesPerStep ?? double.NaN, "F2")} / {F(c.ReferenceForwardPassesPerStep ?? double.NaN, "F2")}) |"));
            }
            sb.Append('\n');
        }
        sb.Append(inv, $"\nEach task set's full tables and plots: {TaskSetsFolder}/ID/comparison.md (and its nested MLflow run).\n");
        return sb.ToString();
    }

    public void Save(string directory)
    {
        var inv = CultureInfo.InvariantCulture;
        var markdown = new StringBuilder(Describe());
        foreach (var (set, i) in result.TaskSets.Select((s, i) => (s, i)))
            markdown.Append(inv, $"\n## {set.Id}: {set.Shape} (train {set.Train}, test {set.Test})\n\n")
                .Append(new CompareOutput(set.Result, [], [], [], [], 0).Describe());
        CompareOutput.WriteTables(directory, "benchmark", markdown.ToString());
        var csv = new StringBuilder("task_set,horizon,reference,reference_rate,win_rate,holm_p,median_loss_ratio,g_test_accuracy,reference_test_accuracy,g_test_loss,reference_test_loss,g_diverged,g_fallback_share,g_forward_per_step,reference_forward_per_step\n");
        foreach (var c in result.Matrix)
            csv.Append(inv, $"{c.TaskSet},{c.Horizon},{c.Reference},{c.ReferenceRate?.ToString("R", inv) ?? ""},{c.WinRate:R},{c.HolmP:R},{c.MedianLossRatio:R},") 
               .Append(inv, $"{c.GTestAccuracy:R},{c.ReferenceTestAccuracy:R},{c.GTestLoss:R},{c.ReferenceTestLoss:R},{c.GDiverged},{c.GFallbackShare?.ToString("R", inv) ?? ""},{c.GForwardPassesPerStep?.ToString("R", inv) ?? ""},{c.ReferenceForwardPassesPerStep?.ToString("R", inv) ?? ""}\n");
        AtomicFile.WriteAllText(Path.Combine(directory, "matrix.csv"), csv.ToString());
        if (result.Matrix.Count > 0)
            Harness.Core.Reporting.Plots.GeneralisationMatrix($"g vs tuned {result.Matrix[0].Reference}: median final training loss ratio g/{result.Matrix[0].Reference}",
                result.TaskSets.Select(t => t.Id).ToList(), result.Matrix, Path.Combine(directory, "generalisation.png"));
    }
}
