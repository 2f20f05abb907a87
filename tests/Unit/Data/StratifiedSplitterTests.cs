using Harness.Core;
using Harness.Core.Data;
using Harness.Core.Randomness;

namespace Harness.Tests.Unit.Data;

public class StratifiedSplitterTests
{
    private static readonly Dataset Data = SpiralGenerator.Generate(new SpiralParameters(6_000, 2.5), 21);

    [Fact]
    public void Subsets_are_balanced_disjoint_and_stratified_for_random_K_and_S()
    {
        var rng = new Rng(99);
        for (int trial = 0; trial < 25; trial++)
        {
            int size = 2 * (2 + rng.NextInt(150));       // 4 .. 302, even
            int maxK = 3_000 / (size / 2);
            int k = 1 + rng.NextInt(Math.Min(maxK, 40));
            var settings = new SplitSettings(k, size, 0.2, Standardization.None);
            var tasks = StratifiedSplitter.Split(Data, settings, rng.NextUInt64());

            Assert.Equal(k, tasks.Count);
            var seen = new HashSet<int>();
            foreach (var t in tasks)
            {
                var rows = t.TrainSourceRows.Concat(t.TestSourceRows).ToArray();
                Assert.Equal(size, rows.Length);
                Assert.All(rows, r => Assert.True(seen.Add(r), $"row {r} used twice (K={k}, S={size})"));
                Assert.Equal(size / 2, rows.Count(r => Data.Label[r] == 0));
                Assert.Equal(settings.TestCountPerClass, t.TestSourceRows.Count(r => Data.Label[r] == 0));
                Assert.Equal(settings.TestCountPerClass, t.TestSourceRows.Count(r => Data.Label[r] == 1));
                Assert.Equal(t.TrainSourceRows.Select(r => (float)Data.Label[r]), t.TrainLabels);
            }
        }
    }

    [Fact]
    public void The_study_split_is_1600_train_and_400_test_rows_per_subset()
    {
        var tasks = StratifiedSplitter.Split(Data, new SplitSettings(3, 2_000), 1);
        Assert.All(tasks, t =>
        {
            Assert.Equal(1_600, t.TrainCount);
            Assert.Equal(400, t.TestCount);
            Assert.Equal(800, t.TrainLabels.Count(l => l == 1));
            Assert.Equal(3_200, t.TrainFeatures.Length);
        });
    }

    [Fact]
    public void Same_seed_gives_identical_subsets_and_another_seed_different_ones()
    {
        var settings = new SplitSettings(5, 200);
        var a = StratifiedSplitter.Split(Data, settings, 10);
        var b = StratifiedSplitter.Split(Data, settings, 10);
        var c = StratifiedSplitter.Split(Data, settings, 11);
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(a[k].TrainSourceRows, b[k].TrainSourceRows);
            Assert.Equal(a[k].TestFeatures, b[k].TestFeatures);
        }
        Assert.NotEqual(a[0].TrainSourceRows, c[0].TrainSourceRows);
    }

    [Fact]
    public void Asking_for_more_rows_than_the_data_has_is_a_clear_error()
    {
        var e = Assert.Throws<UserInputException>(() => StratifiedSplitter.Split(Data, new SplitSettings(4, 2_000), 1));
        Assert.Contains("has 3000 rows of class 0", e.Message);
        Assert.Contains("need 4000 of each class", e.Message);
    }

    [Theory]
    [InlineData(0, 100, 0.2, "subsets must be ≥ 1")]
    [InlineData(2, 101, 0.2, "subset size must be an even number")]
    [InlineData(2, 100, 1.0, "test fraction must lie strictly between 0 and 1")]
    [InlineData(2, 4, 0.1, "leaves a part without both classes")]
    public void Invalid_settings_are_rejected(int k, int s, double fraction, string message)
    {
        var e = Assert.Throws<UserInputException>(() => StratifiedSplitter.Split(Data, new SplitSettings(k, s, fraction), 1));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Standardisation_is_fitted_on_train_and_applied_to_test()
    {
        var t = StratifiedSplitter.Split(Data, new SplitSettings(1, 2_000, 0.2, Standardization.Zscore), 4)[0];
        var xs = Enumerable.Range(0, t.TrainCount).Select(i => (double)t.TrainFeatures[2 * i]).ToArray();
        Assert.InRange(xs.Average(), -1e-5, 1e-5);
        Assert.InRange(Math.Sqrt(xs.Select(v => v * v).Average()), 0.9999, 1.0001);
        int row = t.TestSourceRows[0];
        Assert.Equal((float)((Data.X[row] - t.Scaling.Mean[0]) / t.Scaling.Scale[0]), t.TestFeatures[0]);
    }

    [Fact]
    public void No_standardisation_keeps_the_raw_coordinates_like_the_study()
    {
        var t = StratifiedSplitter.Split(Data, new SplitSettings(1, 100, 0.2, Standardization.None), 4)[0];
        Assert.True(t.Scaling.IsIdentity);
        Assert.Equal((float)Data.X[t.TrainSourceRows[0]], t.TrainFeatures[0]);
    }
}

public class WideSplitTests
{
    private static readonly Dataset Wide = DatasetGenerator.Generate(new GeneratorSettings(DatasetFamily.Blobs, 1_000, ExtraDims: 3), 2, "wide");

    [Fact]
    public void A_wide_dataset_splits_into_tasks_of_its_width_standardised_per_feature()
    {
        var tasks = StratifiedSplitter.Split(Wide, new SplitSettings(2, 200), 4);
        var t = tasks[0];
        Assert.Equal(5, t.FeatureCount);
        Assert.Equal(160 * 5, t.TrainFeatures.Length);
        for (int d = 0; d < 5; d++)
        {
            var column = Enumerable.Range(0, t.TrainCount).Select(i => (double)t.TrainFeatures[5 * i + d]).ToList();
            Assert.Equal(0, column.Average(), 4);
            Assert.Equal(1, Math.Sqrt(column.Average(v => v * v)), 3);
        }
        int row = t.TestSourceRows[0];
        Assert.Equal((float)(((float)Wide.Features[3][row] - t.Scaling.Mean[3]) / t.Scaling.Scale[3]), t.TestFeatures[3]);
    }

    [Fact]
    public void Wide_tasks_round_trip_through_the_store_and_two_feature_tasks_keep_version_1()
    {
        var path = Path.GetTempFileName();
        try
        {
            var wide = StratifiedSplitter.Split(Wide, new SplitSettings(2, 200), 4);
            SplitTaskStore.Save(wide, path);
            var back = SplitTaskStore.Load(path);
            Assert.Equal(SplitTaskStore.Fingerprint(wide), SplitTaskStore.Fingerprint(back));
            Assert.Equal(wide[1].Scaling, back[1].Scaling);
            Assert.Equal(2, BitConverter.ToInt32(File.ReadAllBytes(path), 0));
            var study = StratifiedSplitter.Split(SpiralGenerator.Generate(new SpiralParameters(1_000, 2.0), 3), new SplitSettings(2, 200), 4);
            SplitTaskStore.Save(study, path);
            Assert.Equal(1, BitConverter.ToInt32(File.ReadAllBytes(path), 0));
            Assert.Equal(SplitTaskStore.Fingerprint(study), SplitTaskStore.Fingerprint(SplitTaskStore.Load(path)));
        }
        finally { File.Delete(path); }
    }
}
