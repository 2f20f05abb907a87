using System.Security.Cryptography;
using Harness.Core.Runtime;

namespace Harness.Core.Data;

/// <summary>Saves and loads split tasks in a compact binary file (cached split results), and fingerprints them.</summary>
public static class SplitTaskStore
{
    private const int FormatVersion = 1;

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
            if (r.ReadInt32() != FormatVersion) throw new InvalidDataException("unknown format version");
            int count = r.ReadInt32();
            var tasks = new SplitTask[count];
            for (int k = 0; k < count; k++)
            {
                int index = r.ReadInt32();
                var scaling = new Standardizer(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
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
        w.Write(FormatVersion);
        w.Write(tasks.Count);
        foreach (var t in tasks)
        {
            w.Write(t.Index);
            w.Write(t.Scaling.MeanX); w.Write(t.Scaling.MeanY); w.Write(t.Scaling.ScaleX); w.Write(t.Scaling.ScaleY);
            Floats(w, t.TrainFeatures); Floats(w, t.TrainLabels); Floats(w, t.TestFeatures); Floats(w, t.TestLabels);
            Ints(w, t.TrainSourceRows); Ints(w, t.TestSourceRows);
        }
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
