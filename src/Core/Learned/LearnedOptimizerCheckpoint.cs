using System.Security.Cryptography;
using System.Text.Json;
using Harness.Core.Configuration;
using Harness.Core.Models;
using Harness.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Learned;

/// <summary>
/// g on disk: NAME.pt holds the weights (TorchSharp's format), NAME.json the settings needed to rebuild the network
/// (g's architecture and f's) and the weights' SHA-256, so a damaged or mismatched file is a clear error.
/// </summary>
public static class LearnedOptimizerCheckpoint
{
    private const int FormatVersion = 1;

    private sealed record Header(int Format, LearnedOptimizerSettings Optimizer, MlpArchitecture F, long Parameters, string WeightsSha256);

    public static void Save(LearnedOptimizer g, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        var weights = Path.Combine(directory, name + ".pt");
        var temp = weights + $".{Environment.ProcessId}.tmp";
        g.Network.save(temp);
        File.Move(temp, weights, overwrite: true);
        var header = new Header(FormatVersion, g.Settings, g.Architecture, g.Network.ParameterCount, Sha256(weights));
        AtomicFile.WriteAllText(Path.Combine(directory, name + ".json"),
            JsonSerializer.Serialize(header, HarnessJson.Indented));
    }

    public static LearnedOptimizer Load(string directory, string name, Device device)
    {
        var weights = Path.Combine(directory, name + ".pt");
        var headerPath = Path.Combine(directory, name + ".json");
        if (!File.Exists(weights) || !File.Exists(headerPath))
            throw new UserInputException($"{directory}: no checkpoint '{name}' ({name}.pt and {name}.json expected); " +
                                         "rerun the meta-train experiment (./harness run ID --force).");
        Header header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(File.ReadAllText(headerPath), HarnessJson.Options)
                     ?? throw new JsonException("empty file");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{headerPath}: not a Harness checkpoint header ({e.Message}).");
        }
        if (header.Format != FormatVersion)
            throw new UserInputException($"{headerPath}: checkpoint format {header.Format}, this Harness reads {FormatVersion}.");
        if (Sha256(weights) != header.WeightsSha256)
            throw new UserInputException($"{weights}: the weights file is damaged or truncated (its SHA-256 does not match " +
                                         $"{Path.GetFileName(headerPath)}); rerun the meta-train experiment with --force.");
        var network = new GruOptimizerNetwork(header.Optimizer, 0);
        try
        {
            network.load(weights);
        }
        catch (Exception e) when (e is not UserInputException)
        {
            throw new UserInputException($"{weights}: the weights do not fit g's configuration in {Path.GetFileName(headerPath)} ({e.Message}).");
        }
        return new LearnedOptimizer(network.to(device), header.F);
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
