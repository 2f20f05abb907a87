using static TorchSharp.torch;

namespace Harness.Core.Meta;

/// <summary>
/// Adam on g's weights (the meta-optimizer), written out so that its state can be checkpointed and restored exactly:
/// resuming an interrupted meta-training gives bit-identical weights to an uninterrupted run.
/// Same update as torch.optim.Adam: p ← p − lr · m̂ / (√v̂ + ε).
/// </summary>
public sealed class MetaAdam : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly IReadOnlyList<TorchSharp.Modules.Parameter> _parameters;
    private readonly double _lr;
    private readonly Tensor[] _m, _v;
    private int _t;

    public MetaAdam(IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate)
    {
        _parameters = parameters.ToList();
        _lr = learningRate;
        _m = _parameters.Select(p => zeros_like(p).detach()).ToArray();
        _v = _parameters.Select(p => zeros_like(p).detach()).ToArray();
    }

    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.grad?.zero_();
    }

    public void Step()
    {
        using var _ = no_grad();
        _t++;
        double c1 = 1 - Math.Pow(Beta1, _t), c2 = 1 - Math.Pow(Beta2, _t);
        for (int i = 0; i < _parameters.Count; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is null) continue;
            _m[i].mul_(Beta1).add_(grad, alpha: 1 - Beta1);
            _v[i].mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);
            var denominator = _v[i].div(c2).sqrt_().add_(Epsilon);
            _parameters[i].addcdiv_(_m[i], denominator, value: -_lr / c1);
        }
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(_t);
        foreach (var tensor in _m.Concat(_v))
        {
            var values = tensor.cpu().data<float>().ToArray();
            writer.Write(values.Length);
            foreach (var v in values) writer.Write(v);
        }
    }

    public void Load(BinaryReader reader)
    {
        _t = reader.ReadInt32();
        using var _ = no_grad();
        foreach (var tensor in _m.Concat(_v))
        {
            var values = new float[reader.ReadInt32()];
            if (values.Length != tensor.numel()) throw new InvalidDataException("meta-optimizer state does not fit g's shape");
            for (int i = 0; i < values.Length; i++) values[i] = reader.ReadSingle();
            tensor.copy_(TorchSharp.torch.tensor(values).view(tensor.shape));
        }
    }

    public void Dispose()
    {
        foreach (var t in _m.Concat(_v)) t.Dispose();
    }
}
