using Harness.Core.Models;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Models;

[Collection("torch")]
public class FunctionalMlpTests
{
    [Fact]
    public void The_study_architecture_has_8705_parameters_in_contiguous_segments()
    {
        var a = MlpArchitecture.Study;
        Assert.Equal(2 * 128 + 128 + 128 * 64 + 64 + 64 + 1, a.ParameterCount);
        Assert.Equal(8705, a.ParameterCount);
        int offset = 0;
        foreach (var s in a.Segments)
        {
            Assert.Equal(offset, s.Offset);
            offset += s.Size;
        }
    }

    [Fact]
    public void Initialisation_follows_pytorch_bounds_and_depends_only_on_the_seed()
    {
        var a = MlpArchitecture.Study;
        var theta = MlpInitializer.Initialize(a, 42);
        foreach (var s in a.Segments)
        {
            double bound = 1 / Math.Sqrt(a.Layers[s.Layer]);
            var values = theta.Skip(s.Offset).Take(s.Size).ToArray();
            Assert.All(values, v => Assert.InRange(v, -bound, bound));
            if (s.Size > 50) Assert.True(values.Max() > 0.8 * bound && values.Min() < -0.8 * bound, s.Name);
        }
        Assert.Equal(theta, MlpInitializer.Initialize(a, 42));
        Assert.NotEqual(theta, MlpInitializer.Initialize(a, 43));
        Assert.NotEqual(MlpInitializer.SeedFor(1, 0, 0), MlpInitializer.SeedFor(1, 0, 1));
        Assert.NotEqual(MlpInitializer.SeedFor(1, 0, 0), MlpInitializer.SeedFor(1, 1, 0));
    }

    [Fact]
    public void Logits_match_a_plain_loop_implementation()
    {
        var a = new MlpArchitecture([2, 3, 2, 1]);
        var theta = MlpInitializer.Initialize(a, 7);
        float[] x = [0.5f, -1.5f, 2f, 0.25f];
        using var scope = NewDisposeScope();
        var logits = new FunctionalMlp(a).Logits(tensor(theta, [1, a.ParameterCount]), tensor(x, [1, 2, 2]))
            .data<float>().ToArray();
        for (int row = 0; row < 2; row++)
        {
            double[] h = [x[2 * row], x[2 * row + 1]];
            var segments = a.Segments;
            for (int l = 0; l < a.LayerCount; l++)
            {
                var w = segments[2 * l];
                var b = segments[2 * l + 1];
                var next = new double[w.Rows];
                for (int o = 0; o < w.Rows; o++)
                {
                    double sum = theta[b.Offset + o];
                    for (int i = 0; i < w.Cols; i++) sum += theta[w.Offset + o * w.Cols + i] * h[i];
                    next[o] = l < a.LayerCount - 1 ? Math.Max(0, sum) : sum;
                }
                h = next;
            }
            Assert.Equal(h[0], logits[row], 5);
        }
    }

    [Fact]
    public void Batched_problems_are_independent_and_gradients_match_finite_differences()
    {
        var a = new MlpArchitecture([2, 4, 1]);
        var f = new FunctionalMlp(a);
        var t0 = MlpInitializer.Initialize(a, 1);
        var t1 = MlpInitializer.Initialize(a, 2);
        float[] x = [0.3f, -0.2f, -1f, 0.8f, 0.1f, 0.4f];
        float[] y = [1, 0, 1];
        using var scope = NewDisposeScope();
        var xs = tensor(x.Concat(x).ToArray(), [2, 3, 2]).to(float64);
        var ys = tensor(y.Concat(y).ToArray(), [2, 3]).to(float64);
        var theta = tensor(t0.Concat(t1).ToArray(), [2, a.ParameterCount]).to(float64);
        var (loss, gradient) = f.LossAndGradient(theta, xs, ys);
        var alone = f.Loss(tensor(t1, [1, a.ParameterCount]).to(float64), xs[..1], ys[..1]);
        Assert.Equal(alone.item<double>(), loss[1].item<double>(), 12);
        for (int i = 0; i < a.ParameterCount; i += 3)
        {
            var plus = theta.clone();
            var minus = theta.clone();
            plus[0, i] += 1e-6;
            minus[0, i] -= 1e-6;
            double numeric = (f.Loss(plus, xs, ys)[0].item<double>() - f.Loss(minus, xs, ys)[0].item<double>()) / 2e-6;
            Assert.Equal(numeric, gradient[0, i].item<double>(), 6);
        }
    }
}
