using Harness.Core.Data;

namespace Harness.Core.Specs;

/// <summary>Turns dataset specs into data: generates or reads each once per process and keeps it.</summary>
public sealed class DatasetMaterializer
{
    private readonly string _baseDirectory;
    private readonly Dictionary<string, Dataset> _cache = new(StringComparer.Ordinal);

    public DatasetMaterializer(string specFilePath) =>
        _baseDirectory = Path.GetDirectoryName(Path.GetFullPath(specFilePath))!;

    public Dataset Get(DatasetSpec spec)
    {
        if (_cache.TryGetValue(spec.Id, out var cached)) return cached;
        var data = spec.Generate is { } g
            ? DatasetGenerator.Generate(Settings(g), g.Seed, spec.Id)
            : CsvDatasetReader.Read(ResolvePath(spec.CsvPath!), spec.Id);
        _cache[spec.Id] = data;
        return data;
    }

    public string ResolvePath(string path) => Path.GetFullPath(Path.Combine(_baseDirectory, path));

    /// <summary>
    /// Every problem of a `generate:` block, keyed by its key, for the spec loader and `data generate|show` alike. The
    /// preset is checked first: an unknown preset, or one beside another family, hides the rest.
    /// </summary>
    public static IReadOnlyList<(string Key, string Message)> Problems(GeneratedDatasetSpec g)
    {
        if (g.Preset is not null && !SpiralParameters.Presets.ContainsKey(g.Preset))
            return [("preset", $"unknown preset '{g.Preset}': use one of {string.Join(", ", SpiralParameters.Presets.Keys)}")];
        if (g.Preset is not null && g.Family is { } family && family != DatasetFamily.Spirals)
            return [("preset", $"the presets are spirals: leave out 'preset' for family {family.ToString().ToLowerInvariant()} and give 'rows'")];
        var problems = Settings(g).Validate().ToList();
        if (g.Preset is null && g.Rows is null)
            problems.Insert(0, ("rows", "without a preset, give 'rows' (an even number: half from each class)"));
        return problems.DistinctBy(p => p.Key).ToList();
    }

    /// <summary>
    /// The generator's settings: a preset (a spiral) gives rows and turns, every key given overrides; without a
    /// preset the family defaults to spirals. Rows left out entirely is 0, which validation reports.
    /// </summary>
    public static GeneratorSettings Settings(GeneratedDatasetSpec g)
    {
        var preset = g.Preset is null ? null : SpiralParameters.Preset(g.Preset);
        return new GeneratorSettings(g.Family ?? DatasetFamily.Spirals, g.Rows ?? preset?.Rows ?? 0,
            g.Turns ?? preset?.Turns, g.Pitch, g.Offset, g.Noise, g.Cells, g.Overlap, g.Factor, g.Rotation, g.LabelNoise, g.ExtraDims);
    }
}
