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
    /// Rows per chunk: f has thousands of coordinates per task, so [R, 3H] gate tensors reach hundreds of MB. Chunks keep
    /// each allocation under glibc's mmap ceiling (32 MB), which avoids page-fault churn (measured: most of the time went
    /// to the kernel for hidden 128). Rows are independent, so chunking changes nothing but speed.
    /// </summary>
    private long ChunkRows => Math.Max(1024, 6_000_000 / (3L * Settings.Hidden + Settings.InputSize));

    /// <summary>One step for all coordinates: inputs [R, in], hidden per layer [R, H] → output [R, out], new hidden.</summary>
    public (Tensor Output, Tensor[] Hidden) Forward(Tensor inputs, Tensor[] hidden)
    {
        long rows = inputs.shape[0], chunk = ChunkRows;
        if (rows <= chunk) return ForwardRows(inputs, hidden);
        var outputs = new List<Tensor>();
        var states = Enumerable.Range(0, hidden.Length).Select(_ => new List<Tensor>()).ToArray();
        for (long start = 0; start < rows; start += chunk)
        {
            long length = Math.Min(chunk, rows - start);
            var (output, next) = ForwardRows(inputs.narrow(0, start, length), hidden.Select(h => h.narrow(0, start, length)).ToArray());
            outputs.Add(output);
            for (int l = 0; l < next.Length; l++) states[l].Add(next[l]);
        }
        return (cat(outputs, 0), states.Select(s => cat(s, 0)).ToArray());
    }

    private (Tensor Output, Tensor[] Hidden) ForwardRows(Tensor inputs, Tensor[] hidden)
    {
        var next = new Tensor[hidden.Length];
        var h = inputs;
        for (int l = 0; l < cells.Count; l++)
        {
            h = cells[l].forward(h, hidden[l]);
            next[l] = h;
        }
        return (head.forward(h), next);
    }

    public long ParameterCount => parameters().Sum(p => p.numel());
}
