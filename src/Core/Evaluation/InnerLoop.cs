using System.Diagnostics;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using Harness.Core.Runtime;
using static TorchSharp.torch;

namespace Harness.Core.Evaluation;

/// <summary>
/// Trains a batch of problems with one optimizer for T steps (full batch), recording the training loss at every step
/// and the test logits at the evaluation steps. All problems advance together as one batched computation.
/// </summary>
public static class InnerLoop
{
    public static TrainingTrace Run(IFlatOptimizerFactory factory, TaskBatch batch, FunctionalMlp f, int steps,
        IReadOnlyCollection<int> evaluationSteps, IProgressTask? progress = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        int b = batch.Size, parameters = f.Architecture.ParameterCount;
        var device = batch.Theta0.device;
        var trainLoss = Enumerable.Range(0, b).Select(_ => new float[steps + 1]).ToArray();
        var testLogits = new Dictionary<int, float[][]>();
        var diverged = new bool[b];
        var divergedAt = Enumerable.Repeat(-1, b).ToArray();
        var objective = new MlpObjective(f, batch.TrainX, batch.TrainY);
        bool[][]? fellBack = null;

        using var outer = NewDisposeScope();
        using var optimizer = factory.Create(b, parameters, device);
        var theta = batch.Theta0.clone();
        for (int step = 0; step <= steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (loss, gradient) = objective.LossAndGradient(theta);
            var lossValues = loss.detach().cpu().data<float>().ToArray();
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
            var next = optimizer.Step(theta, loss, gradient, objective);
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
        return new TrainingTrace(trainLoss, testLogits, diverged, divergedAt, clock.Elapsed.TotalSeconds, finalTheta, fellBack);
    }
}
