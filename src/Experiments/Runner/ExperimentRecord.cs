using System.Text.Json.Nodes;

namespace Harness.Experiments.Runner;

/// <summary>
/// The result.json of a finished experiment: provenance plus the kind's result record. Numerics, hardware, start and
/// wall time describe the run; the result record alone is what reproduces bit for bit.
/// </summary>
public sealed record ExperimentRecord(
    string Id,
    string Kind,
    string Hash,
    ulong Seed,
    bool Golden,
    string Device,
    int Threads,
    string Numerics,
    string Code,
    IReadOnlyDictionary<string, string> Hardware,
    DateTime StartedUtc,
    double WallSeconds,
    IReadOnlyDictionary<string, string> InputHashes,
    JsonNode? Settings,
    JsonNode? Result);
