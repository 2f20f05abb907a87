using Harness.Core.Data;
using Harness.Core.Evaluation;
using Harness.Core.Learned;
using Harness.Core.Models;
using Harness.Core.Specs;
using Harness.Experiments.Runner;
using TorchSharp;

namespace Harness.Experiments.Kinds;

/// <summary>
/// `compare`: g against every named baseline on the held-out tasks, at each horizon, with each baseline's learning
/// rate tuned on training tasks for that horizon (<see cref="OptimizerComparison"/> does the work).
/// </summary>
public sealed class CompareKind : ExperimentKind<CompareSettings, CompareOutput>
{
    public const string LearnedName = OptimizerComparison.LearnedName;

    public const string KindName = "compare";

    public override string Name => KindName;
    public override string Description => "g against tuned baselines on held-out tasks, with paired statistics";
    /// <summary>Baselines are tuned on the training split; everything is read on the test split.</summary>
    public override string InputRole(int index) => index switch { 0 => "optimizer", 1 => "training", _ => "test" };

    protected override IEnumerable<string> CheckInputs(CompareSettings settings, IReadOnlyList<InputInfo> inputs)
    {
        if (inputs.Count != 3 || inputs[0].Kind != MetaTrainKind.KindName || inputs[1].Kind != SplitKind.KindName ||
            inputs[2].Kind != SplitKind.KindName)
        {
            yield return "compare takes three inputs: [the meta-train experiment (g), the split with the training tasks " +
                         "(to tune baselines' rates), the split with the test tasks]";
            yield break;
        }
        var train = (SplitSettings)inputs[1].Settings!;
        if (settings.TuningTasks > train.Subsets)
            yield return $"tuning_tasks ({settings.TuningTasks}) exceeds the {train.Subsets} tasks of '{inputs[1].Id}'";
        foreach (var problem in TaskSetF.WidthProblems(settings.F, "compare", inputs[1], inputs[2])) yield return problem;
    }

    protected override CompareOutput Run(RunContext context, CompareSettings s, IReadOnlyList<object> inputs)
    {
        var trained = ((MetaTrainOutput)inputs[0]).Best;
        var trainTasks = ((SplitOutput)inputs[1]).Tasks;
        var testTasks = ((SplitOutput)inputs[2]).Tasks;
        var f = TaskSetF.Resolve(s.F, trained.Architecture, trainTasks, testTasks);
        var g = new LearnedOptimizer(trained.Network.to(context.Device), f);
        var design = s.Design;
        var outcome = OptimizerComparison.Run(design, new LearnedOptimizerFactory(LearnedName, g), f,
            trainTasks, testTasks, context.ChildSeed, context.Device, context.Progress, context.Cancellation);
        CompareTracking.Log(context.Tracking, outcome,
            context.StartChildRun is { } start ? name => start(name, null) : null, context.DatasetInputs);

        // Decision regions on the first test task (2-D inputs only): g and Adam (or the first baseline) after the longest horizon.
        int tMax = design.Horizons.Max();
        var first = testTasks[outcome.Problems[0].Task];
        var reference = design.Baselines.Contains("adam") ? "adam" : design.Baselines.FirstOrDefault();
        var regions = f.InputWidth != 2 ? [] : new[] { LearnedName, reference }.OfType<string>()
            .Select(name => CompareFigures.DecisionRegions(name, new FunctionalMlp(f), outcome.Traces[(name, tMax)].FinalTheta[0], first))
            .ToList();
        return CompareOutput.Of(outcome, regions, first.Index);
    }

    protected override CompareOutput Load(string directory, CompareSettings settings) =>
        new(ResultFolder.ReadResult<CompareResult>(directory), [], [], [], [], 0);
}
