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
            ? SpiralGenerator.Generate(Parameters(g), g.Seed, spec.Id)
            : CsvDatasetReader.Read(ResolvePath(spec.CsvPath!), spec.Id);
        _cache[spec.Id] = data;
        return data;
    }

    public string ResolvePath(string path) => Path.GetFullPath(Path.Combine(_baseDirectory, path));

    public static SpiralParameters Parameters(GeneratedDatasetSpec g)
    {
        var p = g.Preset is null ? new SpiralParameters(Rows: 0, Turns: 0) : SpiralParameters.Preset(g.Preset);
        return p with
        {
            Rows = g.Rows ?? p.Rows,
            Turns = g.Turns ?? p.Turns,
            Pitch = g.Pitch ?? p.Pitch,
            Offset = g.Offset ?? p.Offset,
            RadialNoise = g.Noise ?? p.RadialNoise,
        };
    }
}
