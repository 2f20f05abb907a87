using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Harness.Core.Data;

/// <summary>
/// A binary classification dataset: D numeric feature columns (named; the study's are x and y) and a label 0 or 1
/// per row. Features are stored by column: Features[d][row].
/// </summary>
public sealed class Dataset
{
    public Dataset(string name, double[][] features, string[] featureNames, byte[] label)
    {
        if (features.Length == 0) throw new ArgumentException("a dataset needs at least one feature column");
        if (features.Length != featureNames.Length) throw new ArgumentException("one name per feature column");
        if (features.Any(c => c.Length != label.Length)) throw new ArgumentException("every column must have one value per label");
        Name = name;
        Features = features;
        FeatureNames = featureNames;
        Label = label;
    }

    /// <summary>The study's two-feature layout: columns x and y.</summary>
    public Dataset(string name, double[] x, double[] y, byte[] label) : this(name, [x, y], ["x", "y"], label) { }

    public string Name { get; }
    public double[][] Features { get; }
    public string[] FeatureNames { get; }
    public byte[] Label { get; }
    public int Rows => Label.Length;
    public int FeatureCount => Features.Length;

    /// <summary>The first feature column (x in the study's layout).</summary>
    public double[] X => Features[0];

    /// <summary>The second feature column (y in the study's layout); a one-feature dataset has none.</summary>
    public double[] Y => Features.Length > 1 ? Features[1] : throw new InvalidOperationException($"dataset '{Name}' has one feature column");

    public int CountOf(int label)
    {
        int count = 0;
        foreach (var l in Label) if (l == label) count++;
        return count;
    }

    private string? _fingerprint;

    /// <summary>
    /// SHA-256 over a canonical form (row count, then each row as little-endian IEEE doubles of its features in column
    /// order, then the label byte), in row order. Independent of the file's formatting and of column names, so the
    /// same data read from CSV or generated agree; a two-feature dataset hashes exactly as the study's x, y, label.
    /// </summary>
    public string Fingerprint => _fingerprint ??= ComputeFingerprint();

    private string ComputeFingerprint()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[8 * FeatureCount + 1];
        sha.AppendData("harness-dataset-v1"u8);
        BinaryPrimitives.WriteInt64LittleEndian(buffer, Rows);
        sha.AppendData(buffer, 0, 8);
        for (int i = 0; i < Rows; i++)
        {
            for (int d = 0; d < FeatureCount; d++)
            {
                double v = Features[d][i];
                BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(8 * d), v == 0 ? 0.0 : v); // -0 and 0 agree
            }
            buffer[^1] = Label[i];
            sha.AppendData(buffer);
        }
        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
