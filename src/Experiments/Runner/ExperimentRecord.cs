using System.Text.Json.Nodes;

namespace Harness.Experiments.Runner;

/// <summary>The result.json of a finished experiment: provenance plus the kind's result record.</summary>
public sealed record ExperimentRecord(
    string Id,
    string Kind,
    string Hash,
    ulong Seed,
    bool Golden,
    string Device,
    int Threads,
    string Code,
    DateTime StartedUtc,
    double WallSeconds,
    IReadOnlyDictionary<string, string> InputHashes,
    JsonNode? Settings,
    JsonNode? Result);
