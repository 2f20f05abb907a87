namespace Harness.Core.Data;

/// <summary>
/// Two interleaved Archimedean spirals (MISSION.md): class 0 near r = Pitch·t + Offset at angle 2πt,
/// t ∈ [0, Turns]; class 1 the same spiral rotated by π. Points are uniform along the arc length,
/// with Gaussian radial noise of standard deviation RadialNoise.
/// </summary>
public sealed record SpiralParameters(int Rows, double Turns, double Pitch = 44.0, double Offset = 3.0,
    double RadialNoise = 1.0)
{
    public static readonly IReadOnlyDictionary<string, SpiralParameters> Presets =
        new Dictionary<string, SpiralParameters>(StringComparer.Ordinal)
        {
            ["dataset1"] = new(Rows: 100_000, Turns: 2.5),
            ["dataset2"] = new(Rows: 60_000, Turns: 2.0),
        };

    public static SpiralParameters Preset(string name) =>
        Presets.TryGetValue(name, out var p)
            ? p
            : throw new UserInputException(
                $"unknown spiral preset '{name}': use one of {string.Join(", ", Presets.Keys)}");

    /// <summary>Every problem with these parameters, empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Rows < 2 || Rows % 2 != 0) problems.Add($"rows must be an even number ≥ 2 (got {Rows})");
        if (!(Turns > 0) || double.IsInfinity(Turns)) problems.Add($"turns must be a positive number (got {Turns})");
        if (!(Pitch > 0) || double.IsInfinity(Pitch)) problems.Add($"pitch must be a positive number (got {Pitch})");
        if (!(Offset >= 0) || double.IsInfinity(Offset)) problems.Add($"offset must be ≥ 0 (got {Offset})");
        if (!(RadialNoise >= 0) || double.IsInfinity(RadialNoise))
            problems.Add($"radial noise must be ≥ 0 (got {RadialNoise})");
        return problems;
    }
}
