using System.Diagnostics;
using Harness.Core.Data;
using Harness.Core.Evaluation;
using Harness.Core.Learned;
using Harness.Core.Models;
using Harness.Core.Optimizers;
using Harness.Core.Randomness;
using Harness.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Meta;

/// <summary>
/// Meta-trains g. Outer loop: epochs over the training tasks, shuffled per epoch from the seed, a few tasks per
/// meta-step, each with a fresh f. Inner loop: T steps of f with g, unrolled in truncations of K steps with g's
/// state carried across; after each truncation the meta-loss is backpropagated into g, the meta-gradient norm is
/// clipped and the meta-optimizer (Adam) steps; θ and the state are detached between truncations. A non-finite
/// meta-loss or meta-gradient skips the update (counted) and never reaches g's weights. Validation tasks are held
/// out; the best g on them (at T) is kept. Tasks may come from a weighted mixture of sources (task augmentation,
/// <see cref="MetaTaskSource"/>): each meta-step draws one source by weight, then its next tasks; validation tasks are
/// the first source's last ones.
/// </summary>
public sealed class MetaTrainer
{
    private readonly MetaTrainSettings _settings;
    private readonly ulong _seed;
    private readonly Device _device;

    public MetaTrainer(MetaTrainSettings settings, ulong seed, Device device)
    {
        _settings = settings;
        _seed = seed;
        _device = device;
    }

    public sealed record Result(
        LearnedOptimizer Best,
        LearnedOptimizer Last,
        IReadOnlyList<MetaEpochRecord> Epochs,
        int SkippedUpdates,
        int MetaSteps,
        double WallSeconds);

    public LearnedOptimizer CreateOptimizer() => LearnedOptimizer.Untrained(_settings.Optimizer, _settings.ResolvedF, _seed, _device);

    /// <summary>
    /// Trains g. With a checkpoint directory, the state is saved after every epoch, and training continues from the
    /// latest complete checkpoint found there (bit-identical to an uninterrupted run).
    /// </summary>
    public Result Train(IReadOnlyList<SplitTask> tasks, IProgressReporter progress, IMetaTrainingObserver? observer = null,
        CancellationToken cancellation = default, string? checkpointDirectory = null) =>
        Train([new MetaTaskSource("tasks", tasks, _settings.ResolvedF, 1)], progress, observer, cancellation, checkpointDirectory);

    /// <summary>Trains g on a mixture of task sources (one source: exactly the single-list training above).</summary>
    public Result Train(IReadOnlyList<MetaTaskSource> sources, IProgressReporter progress, IMetaTrainingObserver? observer = null,
        CancellationToken cancellation = default, string? checkpointDirectory = null)
    {
        var clock = Stopwatch.StartNew();
        var tasks = sources[0].Tasks;
        int validationCount = Math.Min(_settings.ValidationTasks, Math.Max(0, tasks.Count - 1));
        var training = sources.Select((source, i) => i == 0 ? source.Tasks.Take(tasks.Count - validationCount).ToList() : source.Tasks.ToList()).ToList();
        var validation = tasks.Skip(tasks.Count - validationCount).ToList();
        var weights = sources.Select(x => x.Weight).ToArray();

        var g = CreateOptimizer();
        // g's one network over each source's f (the θ-scale input depends on f's layers), and each source's f.
        var learners = sources.Select(x => x.F.Equals(g.Architecture) ? g : new LearnedOptimizer(g.Network, x.F)).ToList();
        var fs = sources.Select(x => new FunctionalMlp(x.F)).ToList();
        var best = CreateOptimizer();
        best.Network.CopyWeightsFrom(g.Network);
        double bestValidation = double.PositiveInfinity;
        using var metaOptimizer = new MetaAdam(g.Network.parameters(), _settings.MetaLearningRate);

        int stepsPerEpoch = (training.Sum(t => t.Count) + _settings.TasksPerStep - 1) / _settings.TasksPerStep;
        long TruncationsOf(int epoch) => (_settings.HorizonOfEpoch(epoch) + _settings.Truncation - 1) / _settings.Truncation;
        long MetaStepsBefore(int epoch) => Enumerable.Range(0, epoch).Sum(e => stepsPerEpoch * TruncationsOf(e));
        using var bar = progress.Start("meta-training", MetaStepsBefore(_settings.Epochs));
        var epochs = new List<MetaEpochRecord>();
        int skipped = 0, metaStep = 0, firstEpoch = 0;
        if (checkpointDirectory is not null &&
            MetaTrainingCheckpoint.TryLoad(checkpointDirectory, g, best, metaOptimizer) is { } resumed)
        {
            firstEpoch = resumed.CompletedEpochs;
            bestValidation = resumed.BestValidation;
            skipped = resumed.SkippedUpdates;
            metaStep = resumed.MetaSteps;
            epochs.AddRange(resumed.Epochs);
            bar.Advance(MetaStepsBefore(firstEpoch));
            bar.Describe($"resumed after epoch {firstEpoch}");
        }
        for (int epoch = firstEpoch; epoch < _settings.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            // Each source's tasks in a fresh order per epoch (the first source's stream is the single-list one).
            var orders = training.Select((t, i) => (i == 0 ? SeedDerivation.Rng(_seed, "epoch-order", epoch) : SeedDerivation.Rng(_seed, "epoch-order", i, epoch)).Permutation(t.Count)).ToList();
            var cursors = new int[sources.Count];
            var mixture = SeedDerivation.Rng(_seed, "mixture", epoch);
            double lossSum = 0, finalSum = 0;
            int lossCount = 0, epochSkipped = 0, aborted = 0;
            for (int s = 0; s < stepsPerEpoch; s++)
            {
                int source = sources.Count == 1 ? 0 : MetaTaskSource.Draw(weights, mixture);
                var order = orders[source];
                // The source's next tasks (wrapping around), each with a fresh initialisation of f in every epoch.
                var problems = Enumerable.Range(cursors[source], Math.Min(_settings.TasksPerStep, order.Length))
                    .Select(k => (order[k % order.Length], epoch)).ToList();
                if (sources.Count == 1) problems = problems.Where((_, k) => cursors[0] + k < order.Length).ToList();
                cursors[source] += _settings.TasksPerStep;
                using var batch = TaskBatch.Create(training[source], problems, sources[source].F,
                    SeedDerivation.Derive(_seed, "meta-init"), _device);
                var unroll = Unroll(learners[source], fs[source], batch, _settings.HorizonOfEpoch(epoch), metaOptimizer, bar,
                    observer, ref metaStep, cancellation);
                lossSum += unroll.MetaLossSum;
                lossCount += unroll.Updates;
                epochSkipped += unroll.Skipped;
                finalSum += unroll.FinalLoss;
                if (unroll.Aborted) aborted++;
            }
            skipped += epochSkipped;
            var validated = validation.Count > 0 ? Validate(learners[0], validation) : ValidationResult.None;
            var (valT, valLong, valLogRatio, valGuardShare) = validated;
            double score = _settings.ValidationScore(validated);
            bool isBest = validation.Count == 0 || score < bestValidation;
            if (isBest)
            {
                bestValidation = validation.Count == 0 ? bestValidation : score;
                best.Network.CopyWeightsFrom(g.Network);
            }
            var record = new MetaEpochRecord(epoch + 1, lossCount > 0 ? lossSum / lossCount : double.NaN,
                finalSum / stepsPerEpoch, valT, valLong, valLogRatio, epochSkipped, aborted, epochClock.Elapsed.TotalSeconds, isBest,
                valGuardShare);
            epochs.Add(record);
            observer?.OnEpoch(record);
            bar.Describe($"epoch {epoch + 1}: meta-loss {record.MeanMetaLoss:G4}, validation {valT:G4}");
            if (checkpointDirectory is not null)
                MetaTrainingCheckpoint.Save(checkpointDirectory,
                    new MetaTrainingCheckpoint.State(epoch + 1, bestValidation, skipped, metaStep, epochs), g, best, metaOptimizer);
        }
        return new Result(best, g, epochs, skipped, metaStep, clock.Elapsed.TotalSeconds);
    }

    private sealed record UnrollResult(double MetaLossSum, int Updates, int Skipped, double FinalLoss, bool Aborted);

    private UnrollResult Unroll(LearnedOptimizer g, FunctionalMlp f, TaskBatch batch, int horizon, MetaAdam metaOptimizer, IProgressTask bar,
        IMetaTrainingObserver? observer, ref int metaStep, CancellationToken cancellation)
    {
        using var outer = NewDisposeScope();
        var state = g.InitialState(batch.Size, _device);
        var theta = batch.Theta0.clone();
        Tensor initialLoss, initialHeldOut;
        using (no_grad())
        {
            initialLoss = f.Loss(theta, batch.TrainX, batch.TrainY).clamp_min(1e-8);
            initialHeldOut = _settings.MetaLossRows == MetaLossRows.Train
                ? initialLoss
                : f.Loss(theta, batch.TestX, batch.TestY).clamp_min(1e-8);
        }
        double lossSum = 0, finalLoss = double.NaN;
        int updates = 0, skipped = 0;
        bool aborted = false;
        for (int start = 0; start < horizon && !aborted; start += _settings.Truncation)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            int k = Math.Min(_settings.Truncation, horizon - start);
            var current = theta.detach().requires_grad_(true);
            var loss = f.Loss(current, batch.TrainX, batch.TrainY);
            var terms = new List<Tensor>(k);
            var st = state;
            for (int i = 0; i < k; i++)
            {
                var gradient = autograd.grad([loss.sum()], [current], retain_graph: true, create_graph: _settings.SecondOrder)[0];
                if (!_settings.SecondOrder) gradient = gradient.detach();
                var (delta, next) = g.Update(current, gradient, st);
                st = next;
                current = current.add(delta);
                loss = f.Loss(current, batch.TrainX, batch.TrainY);
                terms.Add(_settings.MetaLossRows switch
                {
                    MetaLossRows.Train => MetaLossTerm(loss, initialLoss),
                    MetaLossRows.HeldOut => MetaLossTerm(f.Loss(current, batch.TestX, batch.TestY), initialHeldOut),
                    _ => MetaLossTerm(loss, initialLoss).add(MetaLossTerm(f.Loss(current, batch.TestX, batch.TestY), initialHeldOut)).div(2),
                });
            }
            var metaLoss = stack(terms).mean();
            double metaLossValue = metaLoss.item<float>();
            metaOptimizer.ZeroGrad();
            bool ok = double.IsFinite(metaLossValue);
            if (ok)
            {
                metaLoss.backward();
                double norm = nn.utils.clip_grad_norm_(g.Network.parameters(), _settings.GradientClip);
                ok = double.IsFinite(norm);
            }
            if (ok)
            {
                metaOptimizer.Step();
                lossSum += metaLossValue;
                updates++;
            }
            else
            {
                skipped++;
                metaOptimizer.ZeroGrad();
            }
            observer?.OnMetaStep(metaStep, metaLossValue, !ok);
            metaStep++;
            bar.Advance();

            // Carry θ and g's state into the next truncation without history.
            using (no_grad())
            {
                double last = loss.mean().item<float>();
                finalLoss = last;
                double initial = initialLoss.mean().item<float>();
                bool blewUp = !double.IsFinite(last) || (_settings.AbortLossFactor > 0 && last > _settings.AbortLossFactor * initial);
                if (blewUp) aborted = true;
            }
            // The last truncation's θ and state are released now, not when the unroll ends: memory stays flat in the horizon.
            var nextTheta = current.detach().MoveToOuterDisposeScope();
            var nextState = st.DetachToOuterScope();
            theta.Dispose();
            state.Dispose();
            theta = nextTheta;
            state = nextState;
        }
        return new UnrollResult(lossSum, updates, skipped, finalLoss, aborted);
    }

    /// <summary>One step's meta-loss term over the tasks of a meta-step: f's loss, or log(L_t / L_0).</summary>
    private Tensor MetaLossTerm(Tensor loss, Tensor initial) =>
        _settings.MetaLoss == MetaLoss.Sum ? loss.mean() : loss.clamp_min(1e-8).div(initial).log().mean();

    /// <summary>g on the validation tasks for k·T steps: the mean training loss at T and k·T, and the mean log-ratio.</summary>
    public ValidationResult Validate(LearnedOptimizer g, IReadOnlyList<SplitTask> validation)
    {
        int longHorizon = _settings.Horizon * _settings.ValidationHorizonFactor;
        using var batch = TaskBatch.Create(validation, validation.Select((_, k) => (k, 0)).ToList(), g.Architecture,
            SeedDerivation.Derive(_seed, "validation-init"), _device);
        var trace = InnerLoop.Run(new LearnedOptimizerFactory("g", g), batch, new FunctionalMlp(g.Architecture), longHorizon, Array.Empty<int>());
        double Mean(int step) => Enumerable.Range(0, trace.Problems)
            .Average(p => trace.Diverged[p] ? double.PositiveInfinity : trace.TrainLoss[p][step]);
        double MeanLogRatio(int p) => trace.Diverged[p]
            ? double.PositiveInfinity
            : Enumerable.Range(1, longHorizon).Average(t => Math.Log(Math.Max(trace.TrainLoss[p][t], 1e-8) / Math.Max(trace.TrainLoss[p][0], 1e-8)));
        double? guardShare = trace.FellBack is null ? null
            : Enumerable.Range(0, trace.Problems).Average(p => trace.FallbackShare(p, longHorizon) ?? 0);
        return new(Mean(_settings.Horizon), Mean(longHorizon), Enumerable.Range(0, trace.Problems).Average(MeanLogRatio), guardShare);
    }
}
