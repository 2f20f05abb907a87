namespace Harness.Core.Optimizers;

/// <summary>
/// A line search along a descent direction d for many problems at once, returning per problem a step length α that
/// satisfies the strong Wolfe conditions (Nocedal and Wright 2006, Algorithms 3.5 and 3.6):
///   sufficient decrease  φ(α) ≤ φ(0) + c₁ α φ'(0),   curvature  |φ'(α)| ≤ c₂ |φ'(0)|,
/// where φ(α) = f(θ + α d). The bracketing phase doubles α until the bracket [α_lo, α_hi] holds a point satisfying
/// both; the zoom phase shrinks it by safeguarded cubic interpolation (bisection when the cubic's minimiser falls
/// outside the middle 80% of the bracket). Each round evaluates every searching problem once (one batched call); a
/// problem stops when it is satisfied, has spent its evaluations, or its bracket is narrower than the tolerance
/// (width × ‖d‖∞ below it: the trial points no longer differ in float32, as PyTorch's tolerance_change stops its
/// zoom), and then takes the best sufficient-decrease point it found (α = 0, no move, if none).
/// </summary>
public static class StrongWolfeSearch
{
    public const double C1 = 1e-4, C2 = 0.9;

    /// <summary>The smallest change of θ (bracket width × ‖d‖∞) the zoom still resolves: about float32's resolution at 1.</summary>
    public const double Tolerance = 1e-7;

    /// <summary>The result per problem: step length, evaluations spent, and whether the strong Wolfe conditions hold at it.</summary>
    public sealed record Result(double[] Alpha, int[] Evaluations, bool[] Satisfied);

    /// <param name="phi0">φ(0) per problem.</param>
    /// <param name="slope0">φ'(0) per problem (must be &lt; 0: d is a descent direction).</param>
    /// <param name="initialAlpha">The first trial α per problem.</param>
    /// <param name="evaluate">φ(α) and φ'(α) at the given α for the problems marked true (others' values are ignored).</param>
    /// <param name="maxEvaluations">Evaluations per problem at most.</param>
    /// <param name="directionScale">‖d‖∞ per problem (default 1): what a bracket's width is measured in.</param>
    public static Result Search(double[] phi0, double[] slope0, double[] initialAlpha,
        Func<double[], bool[], (double[] Phi, double[] Slope)> evaluate, int maxEvaluations = 25, double[]? directionScale = null)
    {
        int n = phi0.Length;
        var state = Enumerable.Range(0, n).Select(p => new Problem(phi0[p], slope0[p], initialAlpha[p], directionScale?[p] ?? 1)).ToArray();
        for (int round = 0; round < maxEvaluations; round++)
        {
            var active = state.Select(s => !s.Done).ToArray();
            if (!active.Contains(true)) break;
            var alphas = state.Select(s => s.Trial).ToArray();
            var (phi, slope) = evaluate(alphas, active);
            for (int p = 0; p < n; p++)
                if (active[p]) state[p].Observe(phi[p], slope[p]);
        }
        return new Result(state.Select(s => s.Answer).ToArray(), state.Select(s => s.Evaluations).ToArray(),
            state.Select(s => s.Satisfied).ToArray());
    }

    private sealed class Problem
    {
        private readonly double phi0, slope0, scale;
        private bool _zooming;
        private double _previousAlpha, _previousPhi, _previousSlope;
        private double _lo, _loPhi, _loSlope, _hi, _hiPhi, _hiSlope;
        private double _best, _bestPhi;

        public Problem(double phi, double slope, double alpha, double directionScale)
        {
            (phi0, slope0, scale) = (phi, slope, directionScale);
            (_previousPhi, _previousSlope, _loPhi, _loSlope, _bestPhi) = (phi, slope, phi, slope, phi);
            Trial = alpha;
            Done = !(slope < 0) || !double.IsFinite(phi);
        }

        public double Trial { get; private set; }
        public bool Done { get; private set; }
        public bool Satisfied { get; private set; }
        public int Evaluations { get; private set; }
        public double Answer => Satisfied ? Trial : _best;

        private bool SufficientDecrease(double alpha, double phi) => double.IsFinite(phi) && phi <= phi0 + C1 * alpha * slope0;
        private bool Curvature(double slope) => Math.Abs(slope) <= -C2 * slope0;

        public void Observe(double phi, double slope)
        {
            Evaluations++;
            double alpha = Trial;
            if (SufficientDecrease(alpha, phi) && phi < _bestPhi) (_best, _bestPhi) = (alpha, phi);
            if (!_zooming)
            {
                if (!SufficientDecrease(alpha, phi) || (Evaluations > 1 && phi >= _previousPhi))
                    StartZoom(_previousAlpha, _previousPhi, _previousSlope, alpha, phi, slope);
                else if (Curvature(slope)) Finish();
                else if (slope >= 0) StartZoom(alpha, phi, slope, _previousAlpha, _previousPhi, _previousSlope);
                else
                {
                    (_previousAlpha, _previousPhi, _previousSlope) = (alpha, phi, slope);
                    Trial = 2 * alpha;
                }
                return;
            }
            if (!SufficientDecrease(alpha, phi) || phi >= _loPhi)
                (_hi, _hiPhi, _hiSlope) = (alpha, phi, slope);
            else
            {
                if (Curvature(slope)) { Finish(); return; }
                if (slope * (_hi - _lo) >= 0) (_hi, _hiPhi, _hiSlope) = (_lo, _loPhi, _loSlope);
                (_lo, _loPhi, _loSlope) = (alpha, phi, slope);
            }
            NextZoomTrial();
        }

        private void Finish()
        {
            Satisfied = true;
            Done = true;
        }

        private void StartZoom(double lo, double loPhi, double loSlope, double hi, double hiPhi, double hiSlope)
        {
            _zooming = true;
            (_lo, _loPhi, _loSlope, _hi, _hiPhi, _hiSlope) = (lo, loPhi, loSlope, hi, hiPhi, hiSlope);
            NextZoomTrial();
        }

        private void NextZoomTrial()
        {
            double a = Math.Min(_lo, _hi), b = Math.Max(_lo, _hi);
            if ((b - a) * scale < Tolerance || b - a < 1e-12 * Math.Max(1, b)) { Done = true; return; }
            double cubic = CubicMinimizer(_lo, _loPhi, _loSlope, _hi, _hiPhi, _hiSlope);
            double margin = 0.1 * (b - a);
            Trial = double.IsFinite(cubic) && cubic > a + margin && cubic < b - margin ? cubic : (a + b) / 2;
        }
    }

    /// <summary>The minimiser of the cubic through (a, fa, da) and (b, fb, db); NaN where it has none.</summary>
    public static double CubicMinimizer(double a, double fa, double da, double b, double fb, double db)
    {
        if (!double.IsFinite(fb) || !double.IsFinite(db)) return double.NaN;
        double d1 = da + db - 3 * (fa - fb) / (a - b);
        double square = d1 * d1 - da * db;
        if (square < 0) return double.NaN;
        double d2 = Math.Sign(b - a) * Math.Sqrt(square);
        return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
    }
}
