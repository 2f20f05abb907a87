using Harness.Core.Data;
using Harness.Core.Evaluation;
using Harness.Core.Learned;
using Harness.Core.Models;
using Harness.Core.Specs;
using Harness.Experiments.Runner;
using TorchSharp;

namespace Harness.Experiments.Kinds;

/// <summary>
/// `benchmark`: g and tuned baselines over a declared list of task sets (family × f × batch), one comparison per set,
/// summarised as the generalisation matrix against the tuned reference (<see cref="GeneralisationBenchmark"/>).
/// Each task set gets a nested MLflow run of its own.
/// </summary>
public sealed class BenchmarkKind : ExperimentKind<BenchmarkSettings, BenchmarkOutput>
{
    public const string KindName = "benchmark";

    public override string Name => KindName;
    public override string Description => "g against tuned baselines over several task sets: the generalisation matrix";
    public override string InputRole(int index) => index == 0 ? "optimizer" : "evaluation";

    protected override IEnumerable<string> CheckInputs(BenchmarkSettings settings, IReadOnlyList<InputInfo> inputs)
    {
        if (inputs.Count < 2 || inputs[0].Kind != MetaTrainKind.KindName || inputs.Skip(1).Any(i => i.Kind != SplitKind.KindName))
        {
            yield return "benchmark takes [the meta-train experiment (g), then every split its task_sets name as train or test]";
            yield break;
        }
        // A split listed twice among the inputs is the same split: one entry per id.
        var infos = inputs.Skip(1).DistinctBy(i => i.Id).ToDictionary(i => i.Id);
        var splits = infos.ToDictionary(i => i.Key, i => (SplitSettings)i.Value.Settings!);
        foreach (var set in settings.TaskSets)
        {
            if (infos.TryGetValue(set.Train, out var trainInfo) && infos.TryGetValue(set.Test, out var testInfo))
                foreach (var problem in TaskSetF.WidthProblems(set.F, $"task set '{set.Id}'", trainInfo, testInfo)) yield return problem;
            foreach (var id in new[] { set.Train, set.Test }.Where(id => !splits.ContainsKey(id)))
                yield return $"task set '{set.Id}' names '{id}', which is not among the inputs: add it to inputs";
            if (splits.TryGetValue(set.Train, out var train) && settings.TuningTasks > train.Subsets)
                yield return $"tuning_tasks ({settings.TuningTasks}) exceeds the {train.Subsets} tasks of '{set.Train}' (task set '{set.Id}')";
        }
        foreach (var unused in splits.Keys.Where(id => !settings.TaskSets.Any(s => s.Train == id || s.Test == id)))
            yield return $"input '{unused}' is named by no task set: remove it from inputs or add a task set";
    }

    protected override BenchmarkOutput Run(RunContext context, BenchmarkSettings s, IReadOnlyList<object> inputs)
    {
        var trained = ((MetaTrainOutput)inputs[0]).Best;
        var network = trained.Network.to(context.Device);
        var ids = context.InputIds ?? throw new InvalidOperationException("benchmark needs its input ids");
        var splits = ids.Select((id, i) => (id, input: inputs[i])).Skip(1).DistinctBy(x => x.id)
            .ToDictionary(x => x.id, x => ((SplitOutput)x.input).Tasks);
        var sets = s.TaskSets.Select(t =>
        {
            var f = TaskSetF.Resolve(t.F, trained.Architecture, splits[t.Train], splits[t.Test]);
            return new TaskSet(t.Id, splits[t.Train], splits[t.Test], f, s.RegimeOf(t));
        }).ToList();
        var (outcomes, matrix) = GeneralisationBenchmark.Run(s.Comparison.Design, s.Reference,
            f => new LearnedOptimizerFactory(OptimizerComparison.LearnedName, new LearnedOptimizer(network, f)), sets,
            context.ChildSeed, context.Device, context.Progress, context.Cancellation);

        var result = new BenchmarkResult(
            sets.Select((set, i) => new TaskSetResult(set.Id, s.TaskSets[i].Train, s.TaskSets[i].Test, set.Describe(), outcomes[i].Result)).ToList(),
            matrix);
        var output = new BenchmarkOutput(result, outcomes);
        BenchmarkOutput.Log(context.Tracking, result);
        output.SaveTaskSets(context.ArtifactDirectory, context.StartChildRun, s.TaskSets, context.DatasetInputs);
        return output;
    }

    protected override BenchmarkOutput Load(string directory, BenchmarkSettings settings) =>
        new(ResultFolder.ReadResult<BenchmarkResult>(directory), []);
}
