namespace Harness.Core.Optimizers;

/// <summary>
/// An optimizer whose step already evaluated the gradient at the θ it returns (a line search ends on an evaluated
/// point): the next step's gradient is not charged to it again.
/// </summary>
public interface IPrepaysGradient
{
    bool NextGradientPrepaid { get; }
}
