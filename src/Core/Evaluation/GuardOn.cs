namespace Harness.Core.Evaluation;

/// <summary>
/// With minibatches, the data an optimizer's extra loss evaluations use — g's guard, guarded-adam's check, the
/// particle swarm's evaluations: the step's own minibatch, or the task's full training rows.
/// </summary>
public enum GuardOn
{
    Minibatch,
    Full,
}
