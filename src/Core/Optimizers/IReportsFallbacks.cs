namespace Harness.Core.Optimizers;

/// <summary>An optimizer that may replace its own step by a safer one (g's guard): which problems did, last step.</summary>
public interface IReportsFallbacks
{
    /// <summary>Per problem: true when the last step was the fallback step. Null before the first step.</summary>
    bool[]? LastStepFellBack { get; }
}
