using System.Globalization;
using System.Text.Json;
using Harness.Core.Configuration;
using Harness.Core.Learned;
using Harness.Core.Runtime;

namespace Harness.Core.Meta;

/// <summary>
/// Meta-training's state after a finished epoch, in DIR/epoch-NNNN/: g (g.pt), the best g so far (best.pt), the
/// meta-optimizer (meta-adam.bin) and the counters and epoch log (state.json, written last: a folder without it is
/// incomplete and ignored). Everything else (task order, f's initialisations) derives from the seed and the epoch,
/// so resuming from here reproduces an uninterrupted run bit for bit.
/// </summary>
public static class MetaTrainingCheckpoint
{
    public sealed record State(int CompletedEpochs, double BestValidation, int SkippedUpdates, int MetaSteps,
        IReadOnlyList<MetaEpochRecord> Epochs);

    public static void Save(string directory, State state, LearnedOptimizer g, LearnedOptimizer best, MetaAdam metaOptimizer)
    {
        var folder = Path.Combine(directory, $"epoch-{state.CompletedEpochs.ToString("D4", CultureInfo.InvariantCulture)}");
        if (Directory.Exists(folder)) Directory.Delete(folder, true);
        Directory.CreateDirectory(folder);
        g.Network.save(Path.Combine(folder, "g.pt"));
        best.Network.save(Path.Combine(folder, "best.pt"));
        AtomicFile.Write(Path.Combine(folder, "meta-adam.bin"), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            metaOptimizer.Save(writer);
        });
        AtomicFile.WriteAllText(Path.Combine(folder, "state.json"), JsonSerializer.Serialize(state, HarnessJson.Options));
        foreach (var older in Directory.GetDirectories(directory, "epoch-*").Where(d => string.CompareOrdinal(d, folder) < 0))
            Directory.Delete(older, true);
    }

    /// <summary>The latest complete checkpoint, or null when there is none.</summary>
    public static State? TryLoad(string directory, LearnedOptimizer g, LearnedOptimizer best, MetaAdam metaOptimizer)
    {
        if (!Directory.Exists(directory)) return null;
        var folder = Directory.GetDirectories(directory, "epoch-*").Order(StringComparer.Ordinal)
            .LastOrDefault(d => File.Exists(Path.Combine(d, "state.json")));
        if (folder is null) return null;
        try
        {
            var state = JsonSerializer.Deserialize<State>(File.ReadAllText(Path.Combine(folder, "state.json")), HarnessJson.Options)
                        ?? throw new InvalidDataException("empty state");
            g.Network.load(Path.Combine(folder, "g.pt"));
            best.Network.load(Path.Combine(folder, "best.pt"));
            using var reader = new BinaryReader(File.OpenRead(Path.Combine(folder, "meta-adam.bin")));
            metaOptimizer.Load(reader);
            return state;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or EndOfStreamException or ArgumentException)
        {
            throw new UserInputException($"{folder}: the meta-training checkpoint is damaged ({e.Message}); " +
                                         "rerun without --resume to start over.");
        }
    }
}
