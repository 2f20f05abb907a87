using Harness.Core.Data;
using Harness.Core.Evaluation;
using Harness.Core.Learned;
using Harness.Core.Models;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Learned;

/// <summary>g is coordinate-wise: one checkpoint, meta-trained for one f, trains f's of other shapes and widths.</summary>
[Collection("torch")]
public class FShapesTests
{
    [Fact]
    public void One_g_checkpoint_trains_three_different_f_shapes()
    {
        var settings = new LearnedOptimizerSettings(Hidden: 6, Output: OutputMode.AdamResidual, LearningRate: 0.03,
            Inputs: [InputFeature.AdamGradient, InputFeature.ParameterScale]);
        var g = LearnedOptimizer.Untrained(settings, new MlpArchitecture([2, 8, 1]), 5, CPU);
        var folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            LearnedOptimizerCheckpoint.Save(g, folder, "g");
            var loaded = LearnedOptimizerCheckpoint.Load(folder, "g", CPU);
            var moons = DatasetGenerator.Generate(new GeneratorSettings(DatasetFamily.Moons, 600), 3, "moons");
            var wide = DatasetGenerator.Generate(new GeneratorSettings(DatasetFamily.Circles, 600, ExtraDims: 3), 3, "wide");
            var shapes = new (Dataset Data, MlpArchitecture F)[]
            {
                (moons, new MlpArchitecture([2, 16, 1], Activation.Relu)),
                (moons, new MlpArchitecture([2, 12, 12, 12, 1], Activation.Tanh)),
                (wide, new MlpArchitecture([5, 24, 1], Activation.Gelu)),
            };
            foreach (var (data, f) in shapes)
            {
                var tasks = StratifiedSplitter.Split(data, new SplitSettings(2, 200), 7);
                using var batch = TaskBatch.Create(tasks, [(0, 0), (1, 0)], f, 11, CPU);
                var trace = InnerLoop.Run(new LearnedOptimizerFactory("g", new LearnedOptimizer(loaded.Network, f)), batch,
                    new FunctionalMlp(f), 60, [60]);
                for (int p = 0; p < 2; p++)
                {
                    Assert.False(trace.Diverged[p], $"{f}: problem {p} diverged");
                    Assert.True(trace.TrainLoss[p][60] < 0.8 * trace.TrainLoss[p][0],
                        $"{f}: loss {trace.TrainLoss[p][0]} -> {trace.TrainLoss[p][60]}");
                }
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
