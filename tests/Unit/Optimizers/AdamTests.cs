using Harness.Core.Optimizers;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Optimizers;

[Collection("torch")]
public class AdamTests
{
    [Fact]
    public void Adam_matches_the_textbook_update_with_a_learning_rate_per_problem()
    {
        double[] gradients = [0.5, -2.0, 3.0];
        using var scope = NewDisposeScope();
        using var adam = new AdamFactory([0.1, 0.01]).Create(2, 1, CPU);
        var theta = tensor(new float[] { 1, 1 }, [2, 1]);
        foreach (var g in gradients)
            theta = adam.Step(theta, zeros(2), tensor(new float[] { (float)g, (float)g }, [2, 1]), null!);

        double m = 0, v = 0, expected0 = 1, expected1 = 1;
        for (int t = 1; t <= gradients.Length; t++)
        {
            double g = gradients[t - 1];
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            double step = m / (1 - Math.Pow(0.9, t)) / (Math.Sqrt(v / (1 - Math.Pow(0.999, t))) + 1e-8);
            expected0 -= 0.1 * step;
            expected1 -= 0.01 * step;
        }
        Assert.Equal(expected0, theta[0, 0].item<float>(), 5);
        Assert.Equal(expected1, theta[1, 0].item<float>(), 5);
    }
}
