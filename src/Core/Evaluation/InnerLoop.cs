using System.Diagnostics;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using Harness.Core.Runtime;
using static TorchSharp.torch;

namespace Harness.Core.Evaluation;

/// <summary>
/// Trains a batch of problems with one optimizer, recording the training loss at every step and the test logits at
/// the evaluation steps. All problems advance together as one batched computation. Full batch by default; with a
/// minibatch regime each step's gradient comes from that step's minibatch (<see cref="MinibatchSampler"/>), the
/// recorded training loss is still over all training rows (a measurement, not charged to the optimizer), and the
/// optimizer's extra evaluations use the data `guard_on` names.
/// What the optimizer itself spends is counted per problem: forward and backward passes of f (the step's gradient and
/// every extra loss it asks for) and its own seconds (the gradient and the step, not the measurements). Under a cost
/// budget (<see cref="Budget"/>) the horizons are amounts of that cost: each problem is read at the last step it could
/// afford for each horizon (its training loss and test logits there); the run goes on to its declared steps (so the
/// same trace also serves a step-matched reading) unless stopWhenSpent, where a problem stops once the largest
/// horizon is spent and the run ends when every problem has.
/// </summary>
public static class InnerLoop
{
    public static TrainingTrace Run(IFlatOptimizerFactory factory, TaskBatch batch, FunctionalMlp f, int steps,
        IReadOnlyCollection<int> evaluationSteps, IProgressTask? progress = null, CancellationToken cancellation = default,
        TrainingRegime? regime = null, ulong minibatchSeed = 0, Budget budget = Budget.Steps, IReadOnlyList<int>? budgets = null, bool stopWhenSpent = false)
    {
        regime ??= TrainingRegime.FullBatch;
        var clock = Stopwatch.StartNew();
        int b = batch.Size, parameters = f.Architecture.ParameterCount;
        var device = batch.Theta0.device;
        var trainLoss = Enumerable.Range(0, b).Select(_ => new float[steps + 1]).ToArray();
        var forwardSpent = Enumerable.Range(0, b).Select(_ => new long[steps + 1]).ToArray();
        var backwardSpent = Enumerable.Range(0, b).Select(_ => new long[steps + 1]).ToArray();
        var secondsSpent = new double[steps + 1];
        var testLogits = new Dictionary<int, float[][]>();
        var diverged = new bool[b];
        var divergedAt = Enumerable.Repeat(-1, b).ToArray();
        var full = new MlpObjective(f, batch.TrainX, batch.TrainY);
        var sampler = regime.BatchSize is { } size
            ? new MinibatchSampler((int)batch.TrainX.shape[1], size, minibatchSeed, batch.Problems.Select((p, i) => (batch.TaskIds[i], p.Init)).ToList())
            : null;
        var reads = budget == Budget.Steps ? null : new BudgetReader(budget, budgets ?? [], b);
        bool[][]? fellBack = null;

        using var outer = NewDisposeScope();
        using var optimizer = factory.Create(b, parameters, device);
        var theta = batch.Theta0.clone();
        int last = steps;
        bool prepaid = false;
        // A problem takes no more steps once it diverged, or (stopWhenSpent) once its largest budget is read.
        bool Stopped(int p) => diverged[p] || (stopWhenSpent && reads!.Done(p));
        for (int step = 0; step <= steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var own = Stopwatch.StartNew();
            Tensor loss, gradient, recorded;
            IObjective checkedOn;
            if (sampler is null || step == steps)
            {
                // The last step only records: its gradient is never used, so it is not the optimizer's.
                (loss, gradient) = full.LossAndGradient(theta);
                recorded = loss;
                checkedOn = full;
            }
            else
            {
                var minibatch = Minibatch(batch, sampler.Rows(step), sampler.BatchSize, f);
                (loss, gradient) = minibatch.LossAndGradient(theta);
                own.Stop();
                using (no_grad()) recorded = full.Loss(theta);
                own.Start();
                checkedOn = regime.GuardOn == GuardOn.Full ? full : minibatch;
                if (regime.GuardOn == GuardOn.Full) loss = recorded;
            }
            own.Stop();
            // An optimizer with an unjudged trial is read at its last accepted point (a measurement, not charged).
            var readAt = theta;
            if (optimizer is IReadsAtAcceptedPoint { AcceptedPoint: { } accepted })
            {
                readAt = accepted.clone();
                using (no_grad()) recorded = full.Loss(readAt);
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
            if (evaluationSteps.Contains(step)) testLogits[step] = TestLogits(f, readAt, batch);
            if (step == steps)
            {
                if (!ReferenceEquals(readAt, theta)) (theta, readAt) = (readAt.MoveToOuterDisposeScope(), theta);
                break;
            }

            own.Start();
            var exempt = Enumerable.Range(0, b).Select(Stopped).ToArray();
            var checks = new CountingObjective(checkedOn, b, exempt);
            var next = optimizer.Step(theta, loss, gradient, checks);
            var finite = next.isfinite().all(1);
            if (optimizer is not IReadsAtAcceptedPoint { AcceptedPoint: not null }) finite = finite.logical_and(loss.detach().isfinite());
            var finiteFlags = finite.cpu().data<bool>().ToArray();
            own.Stop();
            secondsSpent[step + 1] = secondsSpent[step] + own.Elapsed.TotalSeconds;
            for (int p = 0; p < b; p++)
            {
                bool charged = !exempt[p] && !prepaid;
                forwardSpent[p][step + 1] = forwardSpent[p][step] + (charged ? 1 : 0) + checks.Forward[p];
                backwardSpent[p][step + 1] = backwardSpent[p][step] + (charged ? 1 : 0) + checks.Backward[p];
            }
            // A line search ends on an evaluated point: with full-batch gradients, the next step's is already paid for.
            prepaid = sampler is null && optimizer is IPrepaysGradient { NextGradientPrepaid: true };
            if (optimizer is IReportsFallbacks { LastStepFellBack: { } flags })
            {
                fellBack ??= Enumerable.Range(0, b).Select(_ => new bool[steps]).ToArray();
                for (int p = 0; p < b; p++) fellBack[p][step] = flags[p] && !exempt[p];
            }
            // A problem whose step is not finite keeps its last θ and counts as diverged.
            for (int p = 0; p < b; p++)
            {
                if (!finiteFlags[p] && !diverged[p])
                {
                    diverged[p] = true;
                    divergedAt[p] = step + 1;
                }
            }
            // A problem whose next step would overspend a horizon is read here, at θ of this step.
            reads?.ReadWhereOverspent(step, p => reads.Cost(forwardSpent[p][step + 1], secondsSpent[step + 1]), () => TestLogits(f, readAt, batch));
            var frozen = tensor(Enumerable.Range(0, b).Select(Stopped).ToArray(), device: device).unsqueeze(1);
            var updated = where(frozen, theta, next).detach().MoveToOuterDisposeScope();
            theta.Dispose();
            theta = updated;
            progress?.Advance();
            if (stopWhenSpent && reads is not null && Enumerable.Range(0, b).All(Stopped))
            {
                // Every problem is frozen: θ after this step is θ of this step, and so is its loss.
                for (int p = 0; p < b; p++) trainLoss[p][step + 1] = trainLoss[p][step];
                last = step + 1;
                break;
            }
        }
        if (last < steps)
        {
            Extend(trainLoss, forwardSpent, backwardSpent, secondsSpent, last, steps);
            if (optimizer is IReadsAtAcceptedPoint { AcceptedPoint: { } accepted })
            {
                theta.Dispose();
                theta = accepted.clone();
            }
        }
        reads?.ReadRest(last, () => TestLogits(f, theta, batch));
        var thetaCpu = theta.detach().cpu();
        var finalTheta = Enumerable.Range(0, b).Select(p => thetaCpu[p].data<float>().ToArray()).ToArray();
        theta.Dispose();
        return new TrainingTrace(trainLoss, testLogits, diverged, divergedAt, clock.Elapsed.TotalSeconds, finalTheta, fellBack,
            forwardSpent, backwardSpent, secondsSpent, budget, reads?.Result());
    }

    /// <summary>A run that stopped early (every problem spent its budget) keeps its last values to the declared length.</summary>
    private static void Extend(float[][] loss, long[][] forward, long[][] backward, double[] seconds, int last, int steps)
    {
        for (int s = last + 1; s <= steps; s++)
        {
            seconds[s] = seconds[last];
            for (int p = 0; p < loss.Length; p++)
            {
                loss[p][s] = loss[p][last];
                forward[p][s] = forward[p][last];
                backward[p][s] = backward[p][last];
            }
        }
    }

    private static float[][] TestLogits(FunctionalMlp f, Tensor theta, TaskBatch batch)
    {
        using var _ = no_grad();
        var logits = f.Logits(theta, batch.TestX).cpu();
        return Enumerable.Range(0, batch.Size).Select(p => logits[p].data<float>().ToArray()).ToArray();
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
