using System.Runtime.Intrinsics;
using Harness.Core.Learned;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Unit.Learned;

/// <summary>The vectorised GRU cell (steps without autograd on the CPU) against libtorch's ops, which define g.</summary>
[Collection("torch")]
public class GruColumnsKernelTests
{
    private const string NoKernel = "this CPU has neither AVX-512 nor AVX2 with FMA: g runs on libtorch's ops only, so there is no second path to compare";
    private const string NoAvx512 = "this CPU (or DOTNET_EnableAVX512=0) has no AVX-512: there is one kernel width only, so none to compare it with";

    private static GruOptimizerNetwork Network(int layers, int hidden, OutputMode output, long seed = 7)
    {
        var network = new GruOptimizerNetwork(new LearnedOptimizerSettings(Layers: layers, Hidden: hidden,
            Inputs: [InputFeature.AdamGradient, InputFeature.Momenta, InputFeature.ParameterScale], Output: output), seed);
        if (output == OutputMode.AdamResidual)
        {
            // The residual head starts at zero; give it weights so the head's part of the kernel is checked too.
            using var _ = no_grad();
            foreach (var (name, parameter) in network.named_parameters())
                if (name.StartsWith("head", StringComparison.Ordinal)) parameter.copy_(randn_like(parameter).mul(0.5));
        }
        return network;
    }

    private static (Tensor Output, Tensor[] Hidden) Forward(GruOptimizerNetwork network, Tensor inputs, Tensor[] hidden, bool fused)
    {
        network.UseFusedKernel = fused;
        using var _ = no_grad();
        return network.Forward(inputs, hidden);
    }

    [SkippableTheory]
    [InlineData(1, 20, OutputMode.AdamResidual, 5)]      // the harness g, one block of columns
    [InlineData(1, 20, OutputMode.AdamResidual, 1000)]   // many blocks and a partial one
    [InlineData(2, 7, OutputMode.Scaled, 33)]            // two layers, odd hidden size, one column past a block
    [InlineData(1, 3, OutputMode.Scaled, 1)]
    [InlineData(2, 20, OutputMode.AdamResidual, 70_001)] // longer than libtorch's chunk of columns
    public void The_kernel_computes_what_libtorch_computes(int layers, int hidden, OutputMode output, long columns)
    {
        Skip.IfNot(GruColumnsKernel.Supported, NoKernel);
        using var scope = NewDisposeScope();
        torch.manual_seed(11);
        var network = Network(layers, hidden, output);
        // Inputs of g's usual size and a few large ones, where σ and tanh saturate.
        var inputs = randn(5, columns).mul(2);
        inputs[0, 0] = tensor(80f);
        var state = Enumerable.Range(0, layers).Select(_ => rand(hidden, columns).mul(2).sub(1)).ToArray();

        var (expected, expectedHidden) = Forward(network, inputs, state, fused: false);
        var (actual, actualHidden) = Forward(network, inputs, state, fused: true);

        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.isfinite().all().item<bool>());
        Assert.True(expected.allclose(actual, rtol: 1e-5, atol: 2e-6), $"head output differs by up to {(expected - actual).abs().max().item<float>()}");
        for (int l = 0; l < layers; l++)
            Assert.True(expectedHidden[l].allclose(actualHidden[l], rtol: 1e-5, atol: 2e-6),
                $"hidden state of layer {l} differs by up to {(expectedHidden[l] - actualHidden[l]).abs().max().item<float>()}");
    }

    [SkippableFact]
    public void Its_result_does_not_depend_on_the_thread_count()
    {
        Skip.IfNot(GruColumnsKernel.Supported, NoKernel);
        using var scope = NewDisposeScope();
        torch.manual_seed(12);
        var network = Network(1, 20, OutputMode.AdamResidual);
        var inputs = randn(5, 10_007);
        var state = new[] { rand(20, 10_007) };
        int before = torch.get_num_threads();
        try
        {
            torch.set_num_threads(1);
            var (one, oneHidden) = Forward(network, inputs, state, fused: true);
            torch.set_num_threads(2);
            var (two, twoHidden) = Forward(network, inputs, state, fused: true);
            Assert.True(one.eq(two).all().item<bool>() && oneHidden[0].eq(twoHidden[0]).all().item<bool>(), "1 and 2 threads must give identical bits");
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }

    /// <summary>
    /// The portability rule: a machine without AVX-512 runs the kernel at 256 bits and must get the bits a machine
    /// with it gets at 512. Both widths run here where the CPU has AVX-512.
    /// </summary>
    [SkippableTheory]
    [InlineData(20, 1, 5)]        // fewer columns than one block at either width
    [InlineData(20, 1, 33)]       // a full 512-bit block and a tail; two 256-bit blocks and a tail
    [InlineData(7, 2, 1_000)]     // several threads, odd hidden size, no head
    [InlineData(20, 2, 70_001)]
    public unsafe void Its_result_has_the_same_bits_at_512_and_at_256_bits(int hidden, int threads, int columns)
    {
        Skip.IfNot(GruColumnsKernel.NativeWidth == 512, NoAvx512);
        var random = new Random(5);
        float[] Values(int n, float scale) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();
        const int inputs = 5, outputs = 2;
        bool withHead = hidden != 7;
        var weights = new GruColumnsKernel.PackedWeights(Values(3 * hidden * inputs, 1), Values(3 * hidden * hidden, 1),
            Values(3 * hidden, 0.5f), Values(3 * hidden, 0.5f), inputs, hidden,
            withHead ? Values(outputs * hidden, 1) : null, withHead ? Values(outputs, 0.1f) : null);
        var x = Values(inputs * columns, 4);
        x[0] = 90f;      // σ and tanh saturate: the clamp in Exp is exercised
        x[1] = -90f;
        var h = Values(hidden * columns, 1);
        (float[] Hidden, float[] Head) Run(int width)
        {
            var next = new float[hidden * columns];
            var head = new float[outputs * columns];
            fixed (float* px = x) fixed (float* ph = h) fixed (float* pn = next) fixed (float* po = head)
                GruColumnsKernel.Step(weights, px, ph, pn, withHead ? po : null, columns, threads, width);
            return (next, head);
        }
        var wide = Run(512);
        var narrow = Run(256);
        Assert.True(wide.Hidden.AsSpan().SequenceEqual(narrow.Hidden), "h' differs between 512 and 256 bits");
        Assert.True(wide.Head.AsSpan().SequenceEqual(narrow.Head), "head(h') differs between 512 and 256 bits");
        Assert.Contains(wide.Hidden, v => v != 0);
    }

    [SkippableFact]
    public void Its_exponential_has_the_same_bits_at_both_widths()
    {
        Skip.IfNot(GruColumnsKernel.NativeWidth == 512, NoAvx512);
        for (float start = -100f; start < 100f; start += 16 * 0.173f)
        {
            var values = Enumerable.Range(0, 16).Select(i => start + i * 0.173f).ToArray();
            var wide = GruColumnsKernel.Exp(Vector512.Create(values));
            var low = GruColumnsKernel.Exp(Vector256.Create(values.AsSpan(0, 8)));
            var high = GruColumnsKernel.Exp(Vector256.Create(values.AsSpan(8, 8)));
            for (int i = 0; i < 8; i++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(wide[i]), BitConverter.SingleToInt32Bits(low[i]));
                Assert.Equal(BitConverter.SingleToInt32Bits(wide[8 + i]), BitConverter.SingleToInt32Bits(high[i]));
            }
        }
    }

    [Fact]
    public void With_gradients_enabled_g_keeps_libtorchs_differentiable_path()
    {
        using var scope = NewDisposeScope();
        var network = Network(1, 4, OutputMode.Scaled);
        var (output, _) = network.Forward(randn(5, 40), [zeros(4, 40)]);
        output.sum().backward();
        Assert.All(network.parameters(), p => Assert.NotNull(p.grad));
    }

    [SkippableFact]
    public void Its_exponential_is_accurate_over_the_float_range()
    {
        Skip.IfNot(GruColumnsKernel.NativeWidth == 512, NoAvx512);
        double worst = 0;
        for (float start = -87f; start < 88f; start += 16 * 0.37f)
        {
            var x = Vector512.Create(Enumerable.Range(0, 16).Select(i => Math.Min(88f, start + i * 0.37f)).ToArray());
            var e = GruColumnsKernel.Exp(x);
            for (int i = 0; i < 16; i++)
            {
                double exact = Math.Exp(x[i]);
                worst = Math.Max(worst, Math.Abs(e[i] - exact) / exact);
            }
        }
        Assert.True(worst < 5e-7, $"relative error {worst:E2}");
        // Beyond the float range it saturates instead of returning infinity or NaN.
        Assert.True(float.IsFinite(GruColumnsKernel.Exp(Vector512.Create(500f))[0]));
        Assert.True(GruColumnsKernel.Exp(Vector512.Create(-500f))[0] is >= 0 and < 1e-37f);
    }
}
