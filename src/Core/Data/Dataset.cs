using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Harness.Core.Data;

/// <summary>A two-feature binary classification dataset with columns x, y, label (0 or 1).</summary>
public sealed class Dataset
{
    public Dataset(string name, double[] x, double[] y, byte[] label)
    {
        if (x.Length != y.Length || x.Length != label.Length)
            throw new ArgumentException("x, y and label must have the same length");
        Name = name;
        X = x;
        Y = y;
        Label = label;
    }

    public string Name { get; }
    public double[] X { get; }
    public double[] Y { get; }
    public byte[] Label { get; }
    public int Rows => X.Length;

    public int CountOf(int label)
    {
        int count = 0;
        foreach (var l in Label) if (l == label) count++;
        return count;
    }

    private string? _fingerprint;

    /// <summary>
    /// SHA-256 over a canonical form (row count, then each row as little-endian IEEE doubles x, y and the label byte),
    /// in row order. Independent of the file's formatting, so the same data read from CSV or generated agree.
    /// </summary>
    public string Fingerprint => _fingerprint ??= ComputeFingerprint();

    private string ComputeFingerprint()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> buffer = stackalloc byte[17];
        sha.AppendData("harness-dataset-v1"u8);
        BinaryPrimitives.WriteInt64LittleEndian(buffer, Rows);
        sha.AppendData(buffer[..8]);
        for (int i = 0; i < Rows; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(buffer, X[i] == 0 ? 0.0 : X[i]); // -0 and 0 agree
            BinaryPrimitives.WriteDoubleLittleEndian(buffer[8..], Y[i] == 0 ? 0.0 : Y[i]);
            buffer[16] = Label[i];
            sha.AppendData(buffer);
        }
        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
