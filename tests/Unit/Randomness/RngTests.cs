using Harness.Core.Randomness;

namespace Harness.Tests.Unit.Randomness;

public class RngTests
{
    [Fact]
    public void Same_seed_gives_the_same_sequence_and_another_seed_a_different_one()
    {
        var a = new Rng(42);
        var b = new Rng(42);
        var c = new Rng(43);
        var seqA = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();
        var seqB = Enumerable.Range(0, 100).Select(_ => b.NextUInt64()).ToArray();
        var seqC = Enumerable.Range(0, 100).Select(_ => c.NextUInt64()).ToArray();
        Assert.Equal(seqA, seqB);
        Assert.NotEqual(seqA, seqC);
    }

    [Fact]
    public void NextInt_stays_in_range_and_covers_it_evenly()
    {
        var rng = new Rng(7);
        var counts = new int[10];
        for (int i = 0; i < 100_000; i++) counts[rng.NextInt(10)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void NextGaussian_has_mean_zero_and_unit_variance()
    {
        var rng = new Rng(11);
        var samples = Enumerable.Range(0, 200_000).Select(_ => rng.NextGaussian()).ToArray();
        double mean = samples.Average();
        double variance = samples.Select(s => (s - mean) * (s - mean)).Average();
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
    }

    [Fact]
    public void Permutation_contains_every_index_once()
    {
        var p = new Rng(3).Permutation(1000);
        Assert.Equal(Enumerable.Range(0, 1000), p.OrderBy(i => i));
        Assert.NotEqual(Enumerable.Range(0, 1000), p);
    }

    [Fact]
    public void Derived_seeds_are_stable_and_depend_on_every_part_of_the_path()
    {
        ulong a = SeedDerivation.Derive(1, "exp", "init", 0);
        Assert.Equal(a, SeedDerivation.Derive(1, "exp", "init", 0));
        Assert.NotEqual(a, SeedDerivation.Derive(2, "exp", "init", 0));
        Assert.NotEqual(a, SeedDerivation.Derive(1, "exp2", "init", 0));
        Assert.NotEqual(a, SeedDerivation.Derive(1, "exp", "data", 0));
        Assert.NotEqual(a, SeedDerivation.Derive(1, "exp", "init", 1));
        // A path is not ambiguous when parts are joined differently.
        Assert.NotEqual(SeedDerivation.Derive(1, "ab", "c"), SeedDerivation.Derive(1, "a", "bc"));
    }
}
