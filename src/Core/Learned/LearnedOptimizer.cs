using Harness.Core.Models;
using Harness.Core.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Learned;

/// <summary>
/// The update rule of g: builds each coordinate's inputs from the gradient, θ and g's state, runs the shared GRU,
/// and turns its output into a step. Differentiable with respect to g's weights (meta-training backpropagates
/// through it); the gradient of f it is fed is detached (first order) unless the caller passes one with history.
/// </summary>
public sealed class LearnedOptimizer
{
    private const double AdamBeta1 = 0.9, AdamBeta2 = 0.999, Epsilon = 1e-8;
    private const double LogSignP = 10.0;

    private readonly IReadOnlyList<ParameterSegment> _segments;

    public LearnedOptimizer(GruOptimizerNetwork network, MlpArchitecture architecture)
    {
        Network = network;
        Architecture = architecture;
        _segments = architecture.Segments;
    }

    /// <summary>A fresh g for f, its weights drawn from (seed, "g-init"): the g meta-training starts from.</summary>
    public static LearnedOptimizer Untrained(LearnedOptimizerSettings settings, MlpArchitecture f, ulong seed, Device device) =>
        new(new GruOptimizerNetwork(settings, Randomness.SeedDerivation.TorchSeed(seed, "g-init")).to(device), f);

    public GruOptimizerNetwork Network { get; }
    public MlpArchitecture Architecture { get; }
    public LearnedOptimizerSettings Settings => Network.Settings;

    public GruOptimizerState InitialState(int batch, Device device) =>
        GruOptimizerState.Initial(Settings, batch, Architecture.ParameterCount, device);

    /// <summary>The step Δθ [B, P] and g's next state, from θ [B, P] and f's gradient [B, P].</summary>
    public (Tensor Delta, GruOptimizerState Next) Update(Tensor theta, Tensor gradient, GruOptimizerState state)
    {
        long batch = theta.shape[0], parameters = theta.shape[1];
        int t = state.Step + 1;
        var g = gradient;
        var m = state.M.mul(AdamBeta1).add(g.detach(), alpha: 1 - AdamBeta1);
        var v = state.V.mul(AdamBeta2).addcmul(g.detach(), g.detach(), value: 1 - AdamBeta2);
        var rootV = v.div(1 - Math.Pow(AdamBeta2, t)).sqrt().add(Epsilon);
        var decays = Settings.ResolvedMomentumDecays;
        var momenta = new Tensor[decays.Length];
        for (int i = 0; i < decays.Length; i++)
            momenta[i] = state.Momenta[i].mul(decays[i]).add(g.detach(), alpha: 1 - decays[i]);

        var features = new List<Tensor>();
        foreach (var feature in Settings.ResolvedInputs)
        {
            switch (feature)
            {
                case InputFeature.LogSignGradient:
                    var magnitude = g.abs();
                    var large = magnitude.ge(Math.Exp(-LogSignP));
                    features.Add(where(large, magnitude.clamp_min(1e-30).log().div(LogSignP), full_like(g, -1.0)));
                    features.Add(where(large, g.sign(), g.mul(Math.Exp(LogSignP))));
                    break;
                case InputFeature.AdamGradient:
                    features.Add(g.div(rootV));
                    break;
                case InputFeature.Momenta:
                    for (int i = 0; i < decays.Length; i++)
                        features.Add(momenta[i].div(1 - Math.Pow(decays[i], t)).div(rootV));
                    break;
                case InputFeature.ParameterScale:
                    features.Add(ScaleByTensorRms(theta.detach()));
                    break;
            }
        }
        var inputs = stack(features, 0).view(Settings.InputSize, batch * parameters);
        var (output, hidden) = Network.Forward(inputs, state.Hidden);
        output = output.view(Settings.OutputSize, batch, parameters);

        Tensor delta;
        if (Settings.Output == OutputMode.Scaled)
        {
            delta = output[0].mul(Settings.OutputScale);
        }
        else
        {
            var adamDirection = m.div(1 - Math.Pow(AdamBeta1, t)).div(rootV);
            delta = adamDirection.mul(output[0].mul(Settings.Alpha).exp()).mul(-Settings.LearningRate)
                .sub(output[1].tanh().mul(Settings.Beta));
        }
        if (Settings.StepClip is { } clip) delta = delta.clamp(-clip, clip);
        return (delta, new GruOptimizerState(hidden, m, v, momenta, t));
    }

    /// <summary>
    /// The state after one step of Adam's moments alone (no network, hidden state and momenta carried over as they are):
    /// with <see cref="AdamStep"/>, g with a zero residual, the control for a guarded g. The moments come out of the
    /// current dispose scope.
    /// </summary>
    public GruOptimizerState AdvanceMoments(GruOptimizerState state, Tensor gradient)
    {
        var g = gradient.detach();
        var m = state.M.mul(AdamBeta1).add(g, alpha: 1 - AdamBeta1).MoveToOuterDisposeScope();
        var v = state.V.mul(AdamBeta2).addcmul(g, g, value: 1 - AdamBeta2).MoveToOuterDisposeScope();
        return new GruOptimizerState(state.Hidden, m, v, state.Momenta, state.Step + 1);
    }

    /// <summary>
    /// Adam's step −η · m̂ / (√v̂ + ε) from the moments g carries in a state returned by <see cref="Update"/> (η =
    /// learning_rate): the step the guard falls back to, identical to Adam's at that rate.
    /// </summary>
    public Tensor AdamStep(GruOptimizerState state) =>
        Adam.Direction(state.M, state.V, state.Step, AdamBeta1, AdamBeta2, Epsilon).mul(-Settings.LearningRate);

    /// <summary>θ divided by the RMS of the tensor (weight or bias of a layer) each coordinate belongs to.</summary>
    private Tensor ScaleByTensorRms(Tensor theta)
    {
        var parts = new List<Tensor>(_segments.Count);
        foreach (var segment in _segments)
        {
            var part = theta.narrow(1, segment.Offset, segment.Size);
            var rms = part.square().mean([1], keepdim: true).sqrt().add(1e-8);
            parts.Add(part.div(rms));
        }
        return cat(parts, 1);
    }
}
