namespace Harness.Core.Data;

/// <summary>
/// What a seeded generator draws: a family, its row count (even: half per class) and shape parameters, then the
/// transforms every family shares — a rotation of the plane (degrees), label noise (the share of each class whose
/// label is flipped, equal counts so the classes stay balanced) and extra_dims pure-noise feature columns.
/// A shape parameter left null takes the family's default; one that does not apply to the family is an error.
/// </summary>
public sealed record GeneratorSettings(
    DatasetFamily Family,
    int Rows,
    double? Turns = null,
    double? Pitch = null,
    double? Offset = null,
    double? Noise = null,
    int? Cells = null,
    double? Overlap = null,
    double? Factor = null,
    double Rotation = 0,
    double LabelNoise = 0,
    int ExtraDims = 0)
{
    public const int MaxExtraDims = 1024;

    /// <summary>The most rows a generated dataset may have (10 million rows of 2 features is 160 MB as doubles).</summary>
    public const int MaxRows = 10_000_000;

    /// <summary>The family's defaults for a parameter left out.</summary>
    public double ResolvedNoise => Noise ?? Family switch
    {
        DatasetFamily.Spirals => 1.0,
        DatasetFamily.Moons => 0.1,
        DatasetFamily.Circles => 0.05,
        _ => 0,
    };

    public int ResolvedCells => Family == DatasetFamily.Xor ? 2 : Cells ?? 4;
    public double ResolvedOverlap => Overlap ?? 0.05;
    public double ResolvedFactor => Factor ?? 0.5;

    /// <summary>The spiral shape (family spirals): turns is required; pitch, offset and noise default to the study's.</summary>
    public SpiralParameters Spiral => new(Rows, Turns ?? 0, Pitch ?? 44.0, Offset ?? 3.0, ResolvedNoise);

    /// <summary>Every problem, keyed by the setting's snake_case name; empty when the settings are valid.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        string family = Family.ToString().ToLowerInvariant();
        if (Rows < 2 || Rows % 2 != 0) yield return ("rows", $"rows must be an even number ≥ 2, half from each class (got {Rows})");
        else if (Rows > MaxRows) yield return ("rows", $"rows must be at most {MaxRows:N0} (got {Rows:N0}): a dataset is held in memory whole");
        var applies = new Dictionary<string, bool>
        {
            ["turns"] = Family == DatasetFamily.Spirals,
            ["pitch"] = Family == DatasetFamily.Spirals,
            ["offset"] = Family == DatasetFamily.Spirals,
            ["noise"] = Family is DatasetFamily.Spirals or DatasetFamily.Moons or DatasetFamily.Circles,
            ["cells"] = Family == DatasetFamily.Checkerboard,
            ["overlap"] = Family == DatasetFamily.Blobs,
            ["factor"] = Family == DatasetFamily.Circles,
        };
        var given = new Dictionary<string, bool>
        {
            ["turns"] = Turns is not null, ["pitch"] = Pitch is not null, ["offset"] = Offset is not null,
            ["noise"] = Noise is not null, ["cells"] = Cells is not null, ["overlap"] = Overlap is not null,
            ["factor"] = Factor is not null,
        };
        foreach (var (key, isGiven) in given)
            if (isGiven && !applies[key])
                yield return (key, $"'{key}' does not apply to family {family}: it shapes {string.Join(", ", FamiliesOf(key))} only");

        if (Family == DatasetFamily.Spirals && Turns is null)
            yield return ("turns", "the spirals family needs 'turns' (or a preset: dataset1, dataset2)");
        if (Turns is { } turns && !(turns > 0 && double.IsFinite(turns))) yield return ("turns", $"turns must be a positive number (got {turns})");
        if (Pitch is { } pitch && !(pitch > 0 && double.IsFinite(pitch))) yield return ("pitch", $"pitch must be a positive number (got {pitch})");
        if (Offset is { } offset && !(offset >= 0 && double.IsFinite(offset))) yield return ("offset", $"offset must be a finite number ≥ 0 (got {offset})");
        if (Noise is { } noise && !(noise >= 0 && double.IsFinite(noise))) yield return ("noise", $"noise must be a finite number ≥ 0 (got {noise})");
        if (Cells is { } cells && (cells < 2 || cells > 64)) yield return ("cells", $"cells must lie in 2..64 (got {cells})");
        if (Overlap is { } overlap && !(overlap > 0 && overlap < 0.5))
            yield return ("overlap", $"overlap is the Bayes error of the two blobs: it must lie strictly between 0 and 0.5 (got {overlap})");
        if (Factor is { } factor && !(factor > 0 && factor < 1))
            yield return ("factor", $"factor is the inner circle's radius: it must lie strictly between 0 and 1 (got {factor})");
        if (!double.IsFinite(Rotation)) yield return ("rotation", $"rotation must be a finite number of degrees (got {Rotation})");
        if (!(LabelNoise >= 0 && LabelNoise < 0.5))
            yield return ("label_noise", $"label_noise is the share of each class flipped: it must lie in [0, 0.5) (got {LabelNoise})");
        if (ExtraDims < 0 || ExtraDims > MaxExtraDims)
            yield return ("extra_dims", $"extra_dims must lie in 0..{MaxExtraDims} (got {ExtraDims})");
    }

    private static IEnumerable<string> FamiliesOf(string key) => key switch
    {
        "turns" or "pitch" or "offset" => ["spirals"],
        "noise" => ["spirals", "moons", "circles"],
        "cells" => ["checkerboard"],
        "overlap" => ["blobs"],
        _ => ["circles"],
    };
}
