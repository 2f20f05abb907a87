using static TorchSharp.torch;

namespace Harness.Core.Optimizers;

/// <summary>
/// An optimizer over a batch of flat parameter vectors θ [B, P] (B independent problems). It owns its state and
/// returns the next θ. Learned and classic optimizers share this interface, so all are compared on identical f's.
/// </summary>
public interface IFlatOptimizer : IDisposable
{
    /// <summary>One step from θ with its loss [B] and gradient [B, P]; returns the new θ (no autograd history).</summary>
    Tensor Step(Tensor theta, Tensor loss, Tensor gradient, IObjective objective);
}

/// <summary>Makes a fresh optimizer for a batch of B problems whose θ has P coordinates.</summary>
public interface IFlatOptimizerFactory
{
    string Name { get; }
    IFlatOptimizer Create(int batch, int parameters, Device device);
}
