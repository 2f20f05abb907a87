using System.Diagnostics;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using Harness.Core.Runtime;
using static TorchSharp.torch;

namespace Harness.Core.Evaluation;

/// <summary>
/// Trains a batch of problems with one optimizer for T steps, recording the training loss at every step and the test
/// logits at the evaluation steps. All problems advance together as one batched computation. Full batch by default;
/// with a minibatch regime each step's gradient comes from that step's minibatch (<see cref="MinibatchSampler"/>),
/// the recorded training loss is still over all training rows (a measurement, not counted as the optimizer's), and
/// the optimizer's extra evaluations use the data `guard_on` names. The optimizer's own f evaluations (the step's
/// gradient and every extra one) are counted.
/// </summary>
public static class InnerLoop
{
    public static TrainingTrace Run(IFlatOptimizerFactory factory, TaskBatch batch, FunctionalMlp f, int steps,
        IReadOnlyCollection<int> evaluationSteps, IProgressTask? progress = null, CancellationToken cancellation = default,
        TrainingRegime? regime = null, ulong minibatchSeed = 0)
    {
        regime ??= TrainingRegime.FullBatch;
        var clock = Stopwatch.StartNew();
        int b = batch.Size, parameters = f.Architecture.ParameterCount;
        var device = batch.Theta0.device;
        var trainLoss = Enumerable.Range(0, b).Select(_ => new float[steps + 1]).ToArray();
        var testLogits = new Dictionary<int, float[][]>();
        var diverged = new bool[b];
        var divergedAt = Enumerable.Repeat(-1, b).ToArray();
        var full = new MlpObjective(f, batch.TrainX, batch.TrainY);
        var sampler = regime.BatchSize is { } size
            ? new MinibatchSampler((int)batch.TrainX.shape[1], size, minibatchSeed, batch.Problems.Select((p, i) => (batch.TaskIds[i], p.Init)).ToList())
            : null;
        bool[][]? fellBack = null;
        long forward = 0, backward = 0;

        using var outer = NewDisposeScope();
        using var optimizer = factory.Create(b, parameters, device);
        var theta = batch.Theta0.clone();
        for (int step = 0; step <= steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            Tensor loss, gradient, recorded;
            CountingObjective checks;
            if (sampler is null || step == steps)
            {
                // The last step only records: its gradient is never used, so it is not the optimizer's.
                (loss, gradient) = full.LossAndGradient(theta);
                recorded = loss;
                checks = new CountingObjective(full);
            }
            else
            {
                var minibatch = Minibatch(batch, sampler.Rows(step), sampler.BatchSize, f);
                (loss, gradient) = minibatch.LossAndGradient(theta);
                using (no_grad()) recorded = full.Loss(theta);
                checks = new CountingObjective(regime.GuardOn == GuardOn.Full ? full : minibatch);
                if (regime.GuardOn == GuardOn.Full) loss = recorded;
            }
            var lossValues = recorded.detach().cpu().data<float>().ToArray();
            for (int p = 0; p < b; p++)
            {
                if (!diverged[p] && !float.IsFinite(lossValues[p]))
                {
                    diverged[p] = true;
                    divergedAt[p] = step;
                }
                trainLoss[p][step] = diverged[p] && step > 0 ? trainLoss[p][Math.Max(0, divergedAt[p] - 1)] : lossValues[p];
            }
            if (evaluationSteps.Contains(step))
            {
                using var _ = no_grad();
                var logits = f.Logits(theta, batch.TestX).cpu();
                testLogits[step] = Enumerable.Range(0, b).Select(p => logits[p].data<float>().ToArray()).ToArray();
            }
            if (step == steps) break;
            forward++;
            backward++;
            var next = optimizer.Step(theta, loss, gradient, checks);
            forward += checks.Forward;
            backward += checks.Backward;
            if (optimizer is IReportsFallbacks { LastStepFellBack: { } flags })
            {
                fellBack ??= Enumerable.Range(0, b).Select(_ => new bool[steps]).ToArray();
                for (int p = 0; p < b; p++) fellBack[p][step] = flags[p] && !diverged[p];
            }
            // A problem whose step is not finite keeps its last θ and counts as diverged.
            var finite = next.isfinite().all(1).logical_and(loss.detach().isfinite());
            var finiteFlags = finite.cpu().data<bool>().ToArray();
            for (int p = 0; p < b; p++)
            {
                if (!finiteFlags[p] && !diverged[p])
                {
                    diverged[p] = true;
                    divergedAt[p] = step + 1;
                }
            }
            var frozen = tensor(diverged, device: device).unsqueeze(1);
            var updated = where(frozen, theta, next).detach().MoveToOuterDisposeScope();
            theta.Dispose();
            theta = updated;
            progress?.Advance();
        }
        var thetaCpu = theta.detach().cpu();
        var finalTheta = Enumerable.Range(0, b).Select(p => thetaCpu[p].data<float>().ToArray()).ToArray();
        theta.Dispose();
        return new TrainingTrace(trainLoss, testLogits, diverged, divergedAt, clock.Elapsed.TotalSeconds, finalTheta, fellBack,
            new EvaluationCount(forward, backward));
    }

    /// <summary>The objective on each problem's rows of this step: X [B, batch, D] and y [B, batch] gathered from the training rows.</summary>
    private static MlpObjective Minibatch(TaskBatch batch, long[] rows, int batchSize, FunctionalMlp f)
    {
        long problems = batch.Size, width = batch.TrainX.shape[2];
        var index = tensor(rows, [problems, batchSize]).to(batch.TrainX.device);
        var x = batch.TrainX.gather(1, index.unsqueeze(2).expand(problems, batchSize, width));
        var y = batch.TrainY.gather(1, index);
        return new MlpObjective(f, x, y);
    }
}
