using Harness.Core.Randomness;

namespace Harness.Core.Evaluation;

/// <summary>
/// The minibatches of B problems: each problem walks through a fresh permutation of its N training rows every epoch,
/// batch_size rows per step (the last N mod batch_size rows of an epoch are left out, so every batch has the same
/// size). A problem's permutations come from (seed, task id, init) alone — never from the optimizer or the problem's
/// place in a batch — so every optimizer sees the same draws on the same task and init (common random numbers).
/// </summary>
public sealed class MinibatchSampler
{
    private readonly int _rows, _batchSize, _stepsPerEpoch;
    private readonly ulong _seed;
    private readonly IReadOnlyList<(int TaskId, int Init)> _problems;
    private readonly int[][] _permutation;
    private int _epoch = -1;

    public MinibatchSampler(int trainRows, int batchSize, ulong seed, IReadOnlyList<(int TaskId, int Init)> problems)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        _rows = trainRows;
        _batchSize = Math.Min(batchSize, trainRows);
        _stepsPerEpoch = trainRows / _batchSize;
        _seed = seed;
        _problems = problems;
        _permutation = new int[problems.Count][];
    }

    public int BatchSize => _batchSize;

    /// <summary>The rows each problem trains on at a step, row-major [B, batch_size].</summary>
    public long[] Rows(int step)
    {
        int epoch = step / _stepsPerEpoch, offset = step % _stepsPerEpoch * _batchSize;
        if (epoch != _epoch)
        {
            for (int p = 0; p < _problems.Count; p++)
                _permutation[p] = SeedDerivation.Rng(_seed, "minibatch", _problems[p].TaskId, _problems[p].Init, epoch).Permutation(_rows);
            _epoch = epoch;
        }
        var rows = new long[_problems.Count * _batchSize];
        for (int p = 0; p < _problems.Count; p++)
            for (int i = 0; i < _batchSize; i++) rows[p * _batchSize + i] = _permutation[p][offset + i];
        return rows;
    }
}
