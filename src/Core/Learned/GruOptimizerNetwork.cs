using Harness.Core.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Core.Learned;

/// <summary>
/// g's network: 1-2 stacked GRU cells applied to every coordinate as a batch row (shared weights), and a linear head.
/// The head is zero-initialised for the Adam-residual output, so an untrained g is exactly Adam.
/// </summary>
public sealed class GruOptimizerNetwork : nn.Module
{
    private readonly ModuleList<GRUCell> cells;
    private readonly Linear head;

    public GruOptimizerNetwork(LearnedOptimizerSettings settings, long seed) : base("gru_optimizer")
    {
        Settings = settings;
        // Seed libtorch's generator right here: g's initial weights depend only on this seed.
        torch.manual_seed(seed);
        cells = new ModuleList<GRUCell>();
        for (int l = 0; l < settings.Layers; l++)
            cells.Add(nn.GRUCell(l == 0 ? settings.InputSize : settings.Hidden, settings.Hidden));
        head = nn.Linear(settings.Hidden, settings.OutputSize);
        if (settings.Output == OutputMode.AdamResidual)
        {
            using var _ = no_grad();
            head.weight!.zero_();
            head.bias!.zero_();
        }
        RegisterComponents();
    }

    public LearnedOptimizerSettings Settings { get; }

    /// <summary>
    /// Coordinates per chunk: f has thousands of coordinates per task, so [3H, R] gate tensors reach hundreds of MB.
    /// Chunks keep each allocation well under glibc's mmap ceiling (32 MiB). Coordinates are independent, so chunking
    /// changes nothing but speed and memory.
    /// </summary>
    private long ChunkColumns => Math.Max(1024, 4_000_000 / (3L * Settings.Hidden + Settings.InputSize));

    /// <summary>
    /// One step for all coordinates, feature-major: inputs [in, R], hidden per layer [H, R] → output [out, R], new hidden.
    /// Coordinates are columns so that each gate is a contiguous block of rows: the GRU is two large matrix products
    /// and a few element-wise passes over contiguous memory (GRU time 45 → 32 ms per step for 30 tasks here,
    /// against GRUCell's [R, 3H] layout with strided gate slices). Same equations and weights as torch.nn.GRUCell.
    /// </summary>
    public (Tensor Output, Tensor[] Hidden) Forward(Tensor inputs, Tensor[] hidden)
    {
        if (UseFusedKernel && CanUseFusedKernel(inputs, hidden)) return ForwardFused(inputs, hidden);
        long columns = inputs.shape[1], chunk = ChunkColumns;
        if (columns <= chunk) return ForwardColumns(inputs, hidden);
        var outputs = new List<Tensor>();
        var states = Enumerable.Range(0, hidden.Length).Select(_ => new List<Tensor>()).ToArray();
        for (long start = 0; start < columns; start += chunk)
        {
            long length = Math.Min(chunk, columns - start);
            var (output, next) = ForwardColumns(inputs.narrow(1, start, length), hidden.Select(h => h.narrow(1, start, length)).ToArray());
            outputs.Add(output);
            for (int l = 0; l < next.Length; l++) states[l].Add(next[l]);
        }
        return (cat(outputs, 1), states.Select(s => cat(s, 1)).ToArray());
    }

    /// <summary>
    /// The vectorised C# cell (GruColumnsKernel) for steps without autograd on the CPU: about twice as fast as the
    /// libtorch ops below, which remain the path with gradients (meta-training) and on other devices. On by default;
    /// tests switch it off to compare both paths.
    /// </summary>
    internal bool UseFusedKernel { get; set; } = true;

    /// <summary>True where g's steps without autograd on the CPU run on the vectorised kernel (AVX-512, or AVX2 with FMA).</summary>
    public static bool HasVectorisedCpuKernel => GruColumnsKernel.Supported;

    /// <summary>The kernel's vector width here in bits (512 or 256; 0 where g keeps libtorch's ops). Results do not depend on it.</summary>
    public static int VectorisedCpuKernelWidth => GruColumnsKernel.NativeWidth;

    private static bool CanUseFusedKernel(Tensor inputs, Tensor[] hidden) =>
        GruColumnsKernel.Supported && !is_grad_enabled() && inputs.device_type == DeviceType.CPU && inputs.dtype == ScalarType.Float32 &&
        hidden.All(h => h.dtype == ScalarType.Float32) &&
        // TorchSharp exposes CPU memory as a Span<byte>, which an int indexes.
        hidden.Concat([inputs]).All(t => t.numel() * sizeof(float) < int.MaxValue);

    private unsafe (Tensor Output, Tensor[] Hidden) ForwardFused(Tensor inputs, Tensor[] hidden)
    {
        long columns = inputs.shape[1];
        int threads = Math.Max(1, torch.get_num_threads());
        var next = new Tensor[hidden.Length];
        var x = inputs.contiguous();
        var output = empty(Settings.OutputSize, columns, dtype: ScalarType.Float32);
        for (int l = 0; l < cells.Count; l++)
        {
            var cell = cells[l];
            bool last = l == cells.Count - 1;
            var weights = new GruColumnsKernel.PackedWeights(
                Floats(cell.weight_ih!), Floats(cell.weight_hh!), Floats(cell.bias_ih!), Floats(cell.bias_hh!),
                (int)x.shape[0], Settings.Hidden,
                last ? Floats(head.weight!) : null, last ? Floats(head.bias!) : null);
            var h = hidden[l].contiguous();
            next[l] = empty(Settings.Hidden, columns, dtype: ScalarType.Float32);
            fixed (byte* px = x.bytes)
            fixed (byte* ph = h.bytes)
            fixed (byte* pn = next[l].bytes)
            fixed (byte* po = output.bytes)
                GruColumnsKernel.Step(weights, (float*)px, (float*)ph, (float*)pn, last ? (float*)po : null, columns, threads);
            x = next[l];
        }
        return (output, next);
    }

    private static float[] Floats(Tensor weight) => weight.detach().contiguous().data<float>().ToArray();

    private (Tensor Output, Tensor[] Hidden) ForwardColumns(Tensor inputs, Tensor[] hidden)
    {
        var next = new Tensor[hidden.Length];
        var x = inputs;
        for (int l = 0; l < cells.Count; l++)
        {
            next[l] = GruColumns(cells[l], x, hidden[l]);
            x = next[l];
        }
        return (addmm(head.bias!.unsqueeze(1), head.weight!, x, 1, 1), next);
    }

    /// <summary>r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(…), n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = n + z ⊙ (h − n).</summary>
    private Tensor GruColumns(GRUCell cell, Tensor x, Tensor h)
    {
        long size = Settings.Hidden;
        var gi = addmm(cell.bias_ih!.unsqueeze(1), cell.weight_ih!, x, 1, 1);
        var gh = addmm(cell.bias_hh!.unsqueeze(1), cell.weight_hh!, h, 1, 1);
        var rz = gi.narrow(0, 0, 2 * size).add(gh.narrow(0, 0, 2 * size), Scalars.One).sigmoid();
        var r = rz.narrow(0, 0, size);
        var z = rz.narrow(0, size, size);
        var n = gi.narrow(0, 2 * size, size).addcmul(r, gh.narrow(0, 2 * size, size), Scalars.One).tanh();
        return n.addcmul(z, h.sub(n), Scalars.One);
    }

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Overwrites this network's weights with another's of the same shape (the kept g, a loaded checkpoint).</summary>
    public void CopyWeightsFrom(GruOptimizerNetwork source)
    {
        using var _ = no_grad();
        foreach (var (to, from) in parameters().Zip(source.parameters())) to.copy_(from);
    }
}
