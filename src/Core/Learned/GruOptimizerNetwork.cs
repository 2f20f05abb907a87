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

    /// <summary>One step for all coordinates: inputs [R, in], hidden per layer [R, H] → output [R, out], new hidden.</summary>
    public (Tensor Output, Tensor[] Hidden) Forward(Tensor inputs, Tensor[] hidden)
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
