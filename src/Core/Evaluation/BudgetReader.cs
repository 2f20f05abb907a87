namespace Harness.Core.Evaluation;

/// <summary>Where each problem was read for one horizon of a cost budget: the step, and the test logits at it.</summary>
public sealed record BudgetRead(int[] Step, float[][] Logits);

/// <summary>
/// Reads each problem of a run under a cost budget at the last step it can afford for every horizon: when the step
/// from s would take its spending past a horizon, θ at s is that horizon's reading (a step is never split). A problem
/// read at the largest horizon is done and takes no more steps.
/// </summary>
public sealed class BudgetReader
{
    private readonly Budget _budget;
    private readonly int[] _horizons;
    private readonly int _problems;
    private readonly Dictionary<int, int[]> _steps = [];
    private readonly Dictionary<int, float[][]> _logits = [];

    public BudgetReader(Budget budget, IReadOnlyList<int> horizons, int problems)
    {
        if (budget == Budget.Steps) throw new ArgumentException("a step budget reads every problem at the horizon itself", nameof(budget));
        if (horizons.Count == 0) throw new ArgumentException("a cost budget needs one or more horizons", nameof(horizons));
        _budget = budget;
        _horizons = horizons.Distinct().Order().ToArray();
        _problems = problems;
        foreach (var h in _horizons)
        {
            _steps[h] = Enumerable.Repeat(-1, problems).ToArray();
            _logits[h] = new float[problems][];
        }
    }

    /// <summary>A problem's spending in the budget's unit: forward passes, or milliseconds (its share of the batch's own time).</summary>
    public double Cost(long forwardPasses, double batchSeconds) =>
        _budget == Budget.Evaluations ? forwardPasses : batchSeconds * 1000 / _problems;

    public bool Done(int problem) => _steps[_horizons[^1]][problem] >= 0;

    /// <summary>After the step from <paramref name="step"/>: problems whose spending now exceeds a horizon are read at this step.</summary>
    public void ReadWhereOverspent(int step, Func<int, double> costAfter, Func<float[][]> logitsAtStep)
    {
        float[][]? logits = null;
        foreach (var h in _horizons)
            for (int p = 0; p < _problems; p++)
            {
                if (_steps[h][p] >= 0 || !(costAfter(p) > h)) continue;
                logits ??= logitsAtStep();
                _steps[h][p] = step;
                _logits[h][p] = logits[p];
            }
    }

    /// <summary>At the end of the run: every problem not yet read for a horizon is read at the last step.</summary>
    public void ReadRest(int last, Func<float[][]> logitsAtLast)
    {
        float[][]? logits = null;
        foreach (var h in _horizons)
            for (int p = 0; p < _problems; p++)
            {
                if (_steps[h][p] >= 0) continue;
                logits ??= logitsAtLast();
                _steps[h][p] = last;
                _logits[h][p] = logits[p];
            }
    }

    public IReadOnlyDictionary<int, BudgetRead> Result() => _horizons.ToDictionary(h => h, h => new BudgetRead(_steps[h], _logits[h]));
}
