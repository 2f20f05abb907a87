using System.Globalization;
using System.Text;
using Harness.Core.Evaluation;
using Harness.Core.Learned;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using Harness.Core.Runtime;
using Harness.Core.Specs;
using Harness.Experiments.Runner;
using TorchSharp;

namespace Harness.Experiments.Kinds;

/// <summary>
/// `meta-test`: trains one fresh f per test task with the meta-trained g (and, as a reference, Adam at a fixed rate on the
/// same initialisations) and reports the study's numbers: mean test accuracy and loss.
/// </summary>
public sealed class MetaTestKind : ExperimentKind<MetaTestSettings, MetaTestOutput>
{
    public const string KindName = "meta-test";

    public override string Name => KindName;
    public override string Description => "train f on held-out tasks with a meta-trained g (and Adam for reference)";
    public override string InputRole(int index) => index == 0 ? "optimizer" : "test";

    protected override IEnumerable<string> CheckInputs(MetaTestSettings settings, IReadOnlyList<InputInfo> inputs)
    {
        if (inputs.Count != 2 || inputs[0].Kind != MetaTrainKind.KindName || inputs[1].Kind != SplitKind.KindName)
            yield return "meta-test takes two inputs: [the meta-train experiment that made g, the split with the test tasks]";
        else
            foreach (var problem in TaskSetF.WidthProblems(settings.F, "meta-test", inputs[1])) yield return problem;
    }

    protected override MetaTestOutput Run(RunContext context, MetaTestSettings settings, IReadOnlyList<object> inputs)
    {
        var g = ((MetaTrainOutput)inputs[0]).Best;
        var tasks = ((SplitOutput)inputs[1]).Tasks;
        var architecture = TaskSetF.Resolve(settings.F, g.Architecture, tasks);
        var optimizers = new IFlatOptimizerFactory[]
        {
            new LearnedOptimizerFactory("g", new LearnedOptimizer(g.Network.to(context.Device), architecture)).ForBatchSize(settings.BatchSize),
            new AdamFactory([settings.AdamLearningRate]),
        };
        var problems = tasks.SelectMany((_, t) => Enumerable.Range(0, settings.InitsPerTask).Select(i => (Task: t, Init: i))).ToList();
        var f = new FunctionalMlp(architecture);
        var rows = new List<MetaTestRow>();
        var summaries = new List<OptimizerSummary>();
        foreach (var optimizer in optimizers)
        {
            using var batch = TaskBatch.Create(tasks, problems, architecture, context.ChildSeed("f-init"), context.Device);
            using var bar = context.Progress.Start($"meta-test {optimizer.Name}", settings.Horizon);
            var trace = InnerLoop.Run(optimizer, batch, f, settings.Horizon, settings.ResolvedEvaluationSteps, bar, context.Cancellation,
                settings.Regime, context.ChildSeed("minibatch"));
            var perStep = new List<StepSummary>();
            foreach (var step in settings.ResolvedEvaluationSteps)
            {
                var accuracy = new List<double>();
                var loss = new List<double>();
                for (int p = 0; p < problems.Count; p++)
                {
                    if (trace.Diverged[p]) continue;
                    var labels = tasks[problems[p].Task].TestLabels;
                    accuracy.Add(ClassificationMetrics.Accuracy(trace.TestLogits[step][p], labels));
                    loss.Add(ClassificationMetrics.BinaryCrossEntropy(trace.TestLogits[step][p], labels));
                    if (step == settings.Horizon)
                        rows.Add(new MetaTestRow(optimizer.Name, tasks[problems[p].Task].Index, problems[p].Init,
                            trace.FinalTrainLoss(p), loss[^1], accuracy[^1]));
                }
                perStep.Add(new StepSummary(step, Round(Mean(accuracy)), Round(Mean(loss)),
                    Round(Mean(Enumerable.Range(0, problems.Count).Where(p => !trace.Diverged[p]).Select(p => (double)trace.TrainLoss[p][step])))));
            }
            int diverged = trace.Diverged.Count(d => d);
            // For g with a guard: the share of its steps where the guard took Adam's step (mean over problems).
            double? fallback = trace.FellBack is null ? null
                : Round(Enumerable.Range(0, problems.Count).Average(p => trace.FallbackShare(p, settings.Horizon)!.Value));
            summaries.Add(new OptimizerSummary(optimizer.Name, perStep, diverged, fallback));
            if (fallback is double share)
                context.Tracking.LogMetrics([($"{optimizer.Name}/fallback_share", share, settings.Horizon)]);
            var alive = Enumerable.Range(0, problems.Count).Where(p => !trace.Diverged[p]).ToList();
            var meanCurve = new List<(string Key, double Value, long Step)>();
            foreach (var s in settings.Regime.CurveSteps(settings.Horizon))
            {
                double mean = Mean(alive.Select(p => (double)trace.TrainLoss[p][s]));
                if (double.IsFinite(mean)) meanCurve.Add(($"{optimizer.Name}/mean_train_loss", mean, s));
            }
            context.Tracking.LogMetrics(meanCurve);
            var last = perStep[^1];
            context.Tracking.LogMetrics([($"{optimizer.Name}/test_accuracy", last.TestAccuracy, settings.Horizon),
                ($"{optimizer.Name}/test_loss", last.TestLoss, settings.Horizon)]);
        }
        return new MetaTestOutput(new MetaTestResult(problems.Count, settings.Horizon, summaries), rows);
    }

    protected override MetaTestOutput Load(string directory, MetaTestSettings settings)
    {
        return new MetaTestOutput(ResultFolder.ReadResult<MetaTestResult>(directory), []);
    }

    private static double Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? double.NaN : list.Average();
    }

    private static double Round(double value) => Math.Round(value, 6);
}

public sealed record MetaTestRow(string Optimizer, int Task, int Init, double FinalTrainLoss, double TestLoss, double TestAccuracy);
public sealed record StepSummary(int Step, double TestAccuracy, double TestLoss, double TrainLoss);
public sealed record OptimizerSummary(string Optimizer, IReadOnlyList<StepSummary> Steps, int Diverged, double? FallbackShare = null);
public sealed record MetaTestResult(int Problems, int Horizon, IReadOnlyList<OptimizerSummary> Optimizers);

public sealed class MetaTestOutput(MetaTestResult result, IReadOnlyList<MetaTestRow> rows) : IPrintedOutput
{
    public object Summary => result;
    public MetaTestResult Result => result;

    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"**meta-test**: {result.Problems} problems, T = {result.Horizon}\n\n")
          .Append("| optimizer | test accuracy | test loss | train loss | diverged |\n|---|---|---|---|---|\n");
        foreach (var o in result.Optimizers)
        {
            var s = o.Steps[^1];
            sb.Append(CultureInfo.InvariantCulture, $"| {o.Optimizer} | {s.TestAccuracy:P2} | {s.TestLoss:F4} | {s.TrainLoss:F4} | {o.Diverged} |\n");
        }
        foreach (var o in result.Optimizers.Where(o => o.FallbackShare is not null))
            sb.Append(CultureInfo.InvariantCulture,
                $"\n{o.Optimizer}'s guard took Adam's step instead of {o.Optimizer}'s on {o.FallbackShare!.Value * 100:F1}% of the steps.\n");
        return sb.ToString();
    }

    public void Save(string directory)
    {
        var csv = new StringBuilder("optimizer,task,init,final_train_loss,test_loss,test_accuracy\n");
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Optimizer},{r.Task},{r.Init},{r.FinalTrainLoss:R},{r.TestLoss:R},{r.TestAccuracy:R}\n");
        AtomicFile.WriteAllText(Path.Combine(directory, "per-task.csv"), csv.ToString());
        AtomicFile.WriteAllText(Path.Combine(directory, "summary.md"), Describe());
    }
}
