namespace Harness.Core.Models;

/// <summary>f's hidden-layer nonlinearity (the output layer is always a plain logit).</summary>
public enum Activation
{
    Relu,
    Tanh,
    Gelu,
    Sigmoid,
}
