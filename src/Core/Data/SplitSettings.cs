using Harness.Core.Configuration;

namespace Harness.Core.Data;

/// <summary>Settings of the study's split: K disjoint balanced subsets of S rows, each split train/test.</summary>
public sealed record SplitSettings(int Subsets, int SubsetSize, double TestFraction = 0.2,
    Standardization Standardization = Standardization.Zscore) : IValidatableSettings
{
    public IReadOnlyList<string> Problems() => Validate().Select(p => p.Message).ToList();

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Subsets < 1) yield return ("subsets", $"subsets must be ≥ 1 (got {Subsets})");
        if (SubsetSize < 4 || SubsetSize % 2 != 0)
            yield return ("subset_size", $"subset size must be an even number ≥ 4, half from each class (got {SubsetSize})");
        if (!(TestFraction > 0 && TestFraction < 1))
            yield return ("test_fraction", $"test fraction must lie strictly between 0 and 1 (got {TestFraction})");
        else if (SubsetSize >= 4 && (TestCountPerClass < 1 || TestCountPerClass >= SubsetSize / 2))
            yield return ("test_fraction", $"test fraction {TestFraction} of {SubsetSize} rows leaves a part without both " +
                                           "classes: pick a fraction that puts at least one row of each class in train and test");
    }

    /// <summary>Rows of each class in a subset's test part.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int TestCountPerClass => (int)Math.Round(SubsetSize / 2 * TestFraction, MidpointRounding.AwayFromZero);
}
