using System.Security.Cryptography;
using Harness.Core.Runtime;

namespace Harness.Core.Data;

/// <summary>Saves and loads split tasks in a compact binary file (cached split results), and fingerprints them.</summary>
public static class SplitTaskStore
{
    // Version 1 holds two-feature tasks (the study's x, y), so their fingerprints stay those of earlier releases;
    // version 2 adds the feature count for any other width.
    private const int TwoFeatureFormat = 1, AnyWidthFormat = 2;

    public static void Save(IReadOnlyList<SplitTask> tasks, string path) => AtomicFile.Write(path, stream =>
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Write(w, tasks);
    });

    public static IReadOnlyList<SplitTask> Load(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        try
        {
            int format = r.ReadInt32();
            if (format is not (TwoFeatureFormat or AnyWidthFormat)) throw new InvalidDataException("unknown format version");
            int width = format == TwoFeatureFormat ? 2 : r.ReadInt32();
            int count = r.ReadInt32();
            var tasks = new SplitTask[count];
            for (int k = 0; k < count; k++)
            {
                int index = r.ReadInt32();
                var scaling = ReadScaling(r, width);
                tasks[k] = new SplitTask(index, Floats(r), Floats(r), Floats(r), Floats(r), Ints(r), Ints(r), scaling);
            }
            return tasks;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new UserInputException($"{path}: the cached split is damaged ({e.Message}); rerun with --force to rebuild it.");
        }
    }

    /// <summary>SHA-256 over the tasks' content: equal fingerprints mean identical subsets, features and labels.</summary>
    public static string Fingerprint(IReadOnlyList<SplitTask> tasks)
    {
        using var memory = new MemoryStream();
        using (var w = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true)) Write(w, tasks);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(memory.ToArray()));
    }

    private static void Write(BinaryWriter w, IReadOnlyList<SplitTask> tasks)
    {
        int width = tasks.Count > 0 ? tasks[0].FeatureCount : 2;
        if (tasks.Any(t => t.FeatureCount != width)) throw new ArgumentException("every task of a split has the same features");
        w.Write(width == 2 ? TwoFeatureFormat : AnyWidthFormat);
        if (width != 2) w.Write(width);
        w.Write(tasks.Count);
        foreach (var t in tasks)
        {
            w.Write(t.Index);
            WriteScaling(w, t.Scaling);
            Floats(w, t.TrainFeatures); Floats(w, t.TrainLabels); Floats(w, t.TestFeatures); Floats(w, t.TestLabels);
            Ints(w, t.TrainSourceRows); Ints(w, t.TestSourceRows);
        }
    }

    // Per feature its mean, then per feature its scale; two features keep version 1's order (mean x, mean y, scale x, scale y).
    private static void WriteScaling(BinaryWriter w, Standardizer scaling)
    {
        foreach (var m in scaling.Mean) w.Write(m);
        foreach (var s in scaling.Scale) w.Write(s);
    }

    private static Standardizer ReadScaling(BinaryReader r, int width)
    {
        var mean = new double[width];
        var scale = new double[width];
        for (int d = 0; d < width; d++) mean[d] = r.ReadDouble();
        for (int d = 0; d < width; d++) scale[d] = r.ReadDouble();
        return new Standardizer(mean, scale);
    }

    private static void Floats(BinaryWriter w, float[] values)
    {
        w.Write(values.Length);
        foreach (var v in values) w.Write(v);
    }

    private static void Ints(BinaryWriter w, int[] values)
    {
        w.Write(values.Length);
        foreach (var v in values) w.Write(v);
    }

    private static float[] Floats(BinaryReader r)
    {
        var values = new float[r.ReadInt32()];
        for (int i = 0; i < values.Length; i++) values[i] = r.ReadSingle();
        return values;
    }

    private static int[] Ints(BinaryReader r)
    {
        var values = new int[r.ReadInt32()];
        for (int i = 0; i < values.Length; i++) values[i] = r.ReadInt32();
        return values;
    }
}
