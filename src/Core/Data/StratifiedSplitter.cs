using Harness.Core.Randomness;

namespace Harness.Core.Data;

/// <summary>
/// Draws K disjoint subsets of S rows (S/2 per class) uniformly at random without replacement, then splits each
/// into stratified train/test parts. All randomness comes from the seed.
/// </summary>
public static class StratifiedSplitter
{
    public static IReadOnlyList<SplitTask> Split(Dataset data, SplitSettings settings, ulong seed)
    {
        var problems = settings.Problems();
        if (problems.Count > 0) throw new UserInputException("invalid split settings: " + string.Join("; ", problems));

        int perClass = settings.SubsetSize / 2;
        int needed = settings.Subsets * perClass;
        var byClass = new int[2][];
        for (int cls = 0; cls < 2; cls++)
        {
            byClass[cls] = Enumerable.Range(0, data.Rows).Where(i => data.Label[i] == cls).ToArray();
            if (byClass[cls].Length < needed)
                throw new UserInputException(
                    $"dataset '{data.Name}' has {byClass[cls].Length} rows of class {cls}, but {settings.Subsets} subsets " +
                    $"of {settings.SubsetSize} rows need {needed} of each class: lower subsets or subset size");
            SeedDerivation.Rng(seed, "split", "class-draw", cls).Shuffle(byClass[cls].AsSpan());
        }

        var tasks = new SplitTask[settings.Subsets];
        int testPerClass = settings.TestCountPerClass;
        for (int k = 0; k < settings.Subsets; k++)
        {
            var rng = SeedDerivation.Rng(seed, "split", "subset", k);
            var train = new List<int>(settings.SubsetSize);
            var test = new List<int>(2 * testPerClass);
            for (int cls = 0; cls < 2; cls++)
            {
                var rows = byClass[cls].AsSpan(k * perClass, perClass).ToArray();
                rng.Shuffle(rows.AsSpan());
                test.AddRange(rows[..testPerClass]);
                train.AddRange(rows[testPerClass..]);
            }
            // Interleave classes in random order so no consumer sees them sorted.
            var trainRows = train.ToArray();
            var testRows = test.ToArray();
            rng.Shuffle(trainRows.AsSpan());
            rng.Shuffle(testRows.AsSpan());

            var trainFeatures = Features(data, trainRows);
            var scaling = Standardizer.Fit(settings.Standardization, trainFeatures, data.FeatureCount);
            tasks[k] = new SplitTask(k,
                scaling.Apply(trainFeatures), Labels(data, trainRows),
                scaling.Apply(Features(data, testRows)), Labels(data, testRows),
                trainRows, testRows, scaling);
        }
        return tasks;
    }

    /// <summary>The rows' features, row-major [rows, D].</summary>
    private static float[] Features(Dataset data, int[] rows)
    {
        int width = data.FeatureCount;
        var result = new float[rows.Length * width];
        for (int i = 0; i < rows.Length; i++)
            for (int d = 0; d < width; d++)
                result[width * i + d] = (float)data.Features[d][rows[i]];
        return result;
    }

    private static float[] Labels(Dataset data, int[] rows) => rows.Select(r => (float)data.Label[r]).ToArray();
}
