using Harness.Core.Optimizers;
using static TorchSharp.torch;

namespace Harness.Core.Learned;

/// <summary>
/// Per-coordinate state that g carries between steps: the GRU hidden state per layer [H, B·P] (coordinates are columns), Adam's moments and the
/// extra momenta [B, P], and the step count (for bias correction only; never an input to g).
/// </summary>
public sealed class GruOptimizerState : IDisposable
{
    public GruOptimizerState(Tensor[] hidden, Tensor m, Tensor v, Tensor[] momenta, int step)
    {
        Hidden = hidden; M = m; V = v; Momenta = momenta; Step = step;
    }

    public Tensor[] Hidden { get; }
    public Tensor M { get; }
    public Tensor V { get; }
    public Tensor[] Momenta { get; }
    public int Step { get; }

    public static GruOptimizerState Initial(LearnedOptimizerSettings settings, int batch, int parameters, Device device) => new(
        Enumerable.Range(0, settings.Layers).Select(_ => zeros(settings.Hidden, batch * parameters, device: device)).ToArray(),
        zeros(batch, parameters, device: device),
        zeros(batch, parameters, device: device),
        settings.ResolvedMomentumDecays.Select(_ => zeros(batch, parameters, device: device)).ToArray(),
        0);

    /// <summary>Cuts the autograd history (between truncations) and moves the tensors out of the current dispose scope.</summary>
    public GruOptimizerState DetachToOuterScope() => new(
        Hidden.Select(h => h.detach().MoveToOuterDisposeScope()).ToArray(),
        M.detach().MoveToOuterDisposeScope(),
        V.detach().MoveToOuterDisposeScope(),
        Momenta.Select(m => m.detach().MoveToOuterDisposeScope()).ToArray(),
        Step);

    /// <summary>True when every state tensor is finite (a NaN would poison every later step).</summary>
    public bool IsFinite() => Hidden.All(h => h.isfinite().all().item<bool>());

    public void Dispose()
    {
        foreach (var h in Hidden) h.Dispose();
        M.Dispose();
        V.Dispose();
        foreach (var m in Momenta) m.Dispose();
    }
}
