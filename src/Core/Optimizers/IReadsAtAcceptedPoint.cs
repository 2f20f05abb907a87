namespace Harness.Core.Optimizers;

/// <summary>
/// An optimizer whose newest θ is a trial it has not judged yet (g's deferred guard): it is read — training loss, test
/// metrics, divergence, the final θ — at the last point it accepted, which it knows from evaluations it paid for. The
/// trial's own loss, computed with the next gradient, is the optimizer's to judge, so a non-finite one is not a divergence.
/// </summary>
public interface IReadsAtAcceptedPoint
{
    /// <summary>[B, P]: each problem's last accepted θ; null before the first step (θ itself is then the answer).</summary>
    TorchSharp.torch.Tensor? AcceptedPoint { get; }
}
