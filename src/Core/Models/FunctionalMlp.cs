using Harness.Core.Runtime;
using static TorchSharp.torch;

namespace Harness.Core.Models;

/// <summary>
/// f evaluated functionally over a batch of flat parameter vectors θ [B, P]: B independent MLPs (tasks × inits × …)
/// run as batched matrix products, each on its own data X [B, N, D]. Hidden layers use the architecture's activation;
/// the output is a logit.
/// </summary>
public sealed class FunctionalMlp
{
    private readonly MlpArchitecture _architecture;
    private readonly IReadOnlyList<ParameterSegment> _segments;

    public FunctionalMlp(MlpArchitecture architecture)
    {
        _architecture = architecture;
        _segments = architecture.Segments;
    }

    public MlpArchitecture Architecture => _architecture;

    /// <summary>Logits [B, N] for inputs X [B, N, in] under parameters θ [B, P].</summary>
    public Tensor Logits(Tensor theta, Tensor x)
    {
        long batch = theta.shape[0];
        var h = x;
        for (int l = 0; l < _architecture.LayerCount; l++)
        {
            var w = _segments[2 * l];
            var b = _segments[2 * l + 1];
            var weight = theta.narrow(1, w.Offset, w.Size).view(batch, w.Rows, w.Cols);
            var bias = theta.narrow(1, b.Offset, b.Size).view(batch, 1, b.Rows);
            h = bmm(h, weight.transpose(1, 2)).add(bias, Scalars.One); // a static alpha: see Scalars
            if (l < _architecture.LayerCount - 1) h = Activate(h);
        }
        return h.squeeze(-1);
    }

    private Tensor Activate(Tensor h) => _architecture.Activation switch
    {
        Activation.Tanh => h.tanh(),
        Activation.Gelu => nn.functional.gelu(h),
        Activation.Sigmoid => h.sigmoid(),
        _ => nn.functional.relu(h),
    };

    /// <summary>Mean binary cross-entropy on logits per problem: [B].</summary>
    public Tensor Loss(Tensor theta, Tensor x, Tensor y) =>
        nn.functional.binary_cross_entropy_with_logits(Logits(theta, x), y, reduction: nn.Reduction.None).mean([1]);

    /// <summary>Loss [B] and its gradient with respect to θ [B, P] (detached: first order).</summary>
    public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta, Tensor x, Tensor y, bool createGraph = false)
    {
        var leaf = theta.requires_grad ? theta : theta.detach().requires_grad_(true);
        var loss = Loss(leaf, x, y);
        var gradient = autograd.grad([loss.sum()], [leaf], retain_graph: createGraph || theta.requires_grad,
            create_graph: createGraph)[0];
        return (loss, createGraph ? gradient : gradient.detach());
    }
}
