using Harness.Core.Data;
using Harness.Core.Learned;
using Harness.Core.Meta;
using Harness.Core.Models;
using Harness.Core.Randomness;
using Harness.Core.Runtime;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Meta;

/// <summary>Meta-training on a weighted mixture of task sources with f's of different shapes (task augmentation).</summary>
[Collection("torch")]
public class TaskMixtureTests
{
    // MetaTrainerTests' tiny settings, with the θ-scale input: the one feature that depends on f's layer layout.
    private static readonly MetaTrainSettings Tiny = MetaTrainerTests.Tiny with
    {
        Optimizer = MetaTrainerTests.Tiny.Optimizer with { Inputs = [InputFeature.AdamGradient, InputFeature.ParameterScale] },
    };

    private static byte[] Weights(LearnedOptimizer g) => MetaTrainerTests.Weights(g);

    [Fact]
    public void Sources_are_drawn_in_proportion_to_their_weights_from_the_seed()
    {
        var rng = new Rng(3);
        var counts = new int[3];
        for (int i = 0; i < 30_000; i++) counts[MetaTaskSource.Draw([1, 2, 7], rng)]++;
        Assert.Equal(0.1, counts[0] / 30_000.0, 0.01);
        Assert.Equal(0.2, counts[1] / 30_000.0, 0.01);
        Assert.Equal(0.7, counts[2] / 30_000.0, 0.01);
        var again = new Rng(3);
        var first = new Rng(3);
        Assert.Equal(Enumerable.Range(0, 50).Select(_ => MetaTaskSource.Draw([1, 1], first)),
            Enumerable.Range(0, 50).Select(_ => MetaTaskSource.Draw([1, 1], again)));
    }

    [Fact]
    public void A_single_source_trains_exactly_as_a_plain_task_list()
    {
        TorchRuntime.PinThreads(1);
        var tasks = TinyTasks.Make(6);
        var plain = new MetaTrainer(Tiny, 11, CPU).Train(tasks, SilentProgress.Instance);
        var single = new MetaTrainer(Tiny, 11, CPU).Train([new MetaTaskSource("s", tasks, Tiny.ResolvedF, 3)], SilentProgress.Instance);
        Assert.Equal(Weights(plain.Last), Weights(single.Last));
    }

    [Fact]
    public void A_mixture_of_families_and_f_shapes_trains_one_g_deterministically()
    {
        TorchRuntime.PinThreads(1);
        var spirals = TinyTasks.Make(6);
        var moons = StratifiedSplitter.Split(DatasetGenerator.Generate(new GeneratorSettings(DatasetFamily.Moons, 800, ExtraDims: 1), 4, "m"),
            new SplitSettings(4, 80), 4);
        MetaTrainer.Result Train(double moonWeight) => new MetaTrainer(Tiny, 11, CPU).Train(
        [
            new MetaTaskSource("spirals", spirals, Tiny.ResolvedF, 1),
            new MetaTaskSource("moons", moons, new MlpArchitecture([3, 5, 5, 1], Activation.Tanh), moonWeight),
        ], SilentProgress.Instance);
        var a = Train(1);
        Assert.Equal(Weights(a.Last), Weights(Train(1).Last));
        // 4 + 4 training tasks, 2 per meta-step, 2 truncations each, 2 epochs.
        Assert.Equal(2 * 4 * 2, a.MetaSteps);
        Assert.Equal(0, a.SkippedUpdates);
        Assert.NotEqual(Weights(a.Last), Weights(Train(5).Last)); // the weights change which tasks g sees
        var alone = new MetaTrainer(Tiny, 11, CPU).Train(spirals, SilentProgress.Instance);
        Assert.NotEqual(Weights(alone.Last), Weights(a.Last));
    }
}
