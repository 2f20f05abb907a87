namespace Harness.Core.Evaluation;

/// <summary>
/// What a horizon counts, so that optimizers are compared at matched cost: `steps` (every optimizer takes T steps),
/// `evaluations` (every problem gets T forward passes of f — a gradient is one forward and one backward pass, a guard's
/// or line search's extra loss one more forward each — and is read at the last step it could afford), or `seconds`
/// (T milliseconds of the optimizer's own time per problem: its batched run's time divided by its problems; depends on
/// the machine, so never used by golden runs).
/// </summary>
public enum Budget
{
    Steps,
    Evaluations,
    Seconds,
}

/// <summary>The unit a budget's horizons are written in, for tables and files.</summary>
public static class BudgetUnits
{
    public static string Unit(this Budget budget) => budget switch
    {
        Budget.Steps => "steps",
        Budget.Evaluations => "f evaluations",
        _ => "ms of own time",
    };
}
