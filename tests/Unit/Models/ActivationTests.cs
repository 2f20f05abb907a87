using Harness.Core;
using Harness.Core.Models;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Models;

[Collection("torch")]
public class ActivationTests
{
    /// <summary>f = w2 · act(w1 · x + b1) + b2 with one input and one hidden unit, written out by hand.</summary>
    [Theory]
    [InlineData(Activation.Relu, -0.7)]
    [InlineData(Activation.Relu, 0.9)]
    [InlineData(Activation.Tanh, 0.9)]
    [InlineData(Activation.Sigmoid, -0.7)]
    [InlineData(Activation.Gelu, 0.9)]
    public void Each_activation_is_applied_between_hidden_layers_only(Activation activation, double input)
    {
        var f = new FunctionalMlp(new MlpArchitecture([1, 1, 1], activation));
        // θ = [w1, b1, w2, b2]
        var theta = tensor(new float[] { 2f, 0.5f, -1.5f, 0.25f }, [1, 4]);
        var logit = f.Logits(theta, tensor(new[] { (float)input }, [1, 1, 1])).item<float>();
        double h = 2 * input + 0.5;
        double act = activation switch
        {
            Activation.Relu => Math.Max(0, h),
            Activation.Tanh => Math.Tanh(h),
            Activation.Sigmoid => 1 / (1 + Math.Exp(-h)),
            _ => 0.5 * h * (1 + MathNet.Numerics.SpecialFunctions.Erf(h / Math.Sqrt(2))),
        };
        Assert.Equal(-1.5 * act + 0.25, logit, 5);
    }

    [Fact]
    public void Declared_f_fills_what_it_leaves_out_from_meta_training_and_the_tasks_width()
    {
        var metaTrained = MlpArchitecture.Study;
        Assert.Equal(new MlpArchitecture([7, 128, 64, 1]), new MlpSettings().Resolve(metaTrained, 7));
        Assert.Equal(new MlpArchitecture([2, 128, 64, 1], Activation.Tanh), new MlpSettings(Activation: Activation.Tanh).Resolve(metaTrained, 2));
        Assert.Equal(new MlpArchitecture([2, 32, 1]), new MlpSettings([2, 32, 1]).Resolve(metaTrained, 2));
        var e = Assert.Throws<UserInputException>(() => new MlpSettings([2, 32, 1]).Resolve(metaTrained, 5));
        Assert.Contains("start f.layers with 5", e.Message);
        Assert.Contains(new MlpSettings([2, 32, 3]).Validate(), p => p.Key == "layers" && p.Message.Contains("one logit"));
    }
}
