using System.Globalization;
using System.Text;
using Harness.Core.Runtime;

namespace Harness.Core.Data;

/// <summary>Writes a dataset as CSV (its feature columns by name, then label as 0.0/1.0; the study's layout is x,y,label), atomically.</summary>
public static class CsvDatasetWriter
{
    public static void Write(Dataset data, string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.Write(string.Join(",", data.FeatureNames));
        writer.Write($",{CsvDatasetReader.LabelColumn}\n");
        for (int i = 0; i < data.Rows; i++)
        {
            for (int d = 0; d < data.FeatureCount; d++)
            {
                writer.Write(data.Features[d][i].ToString("R", CultureInfo.InvariantCulture));
                writer.Write(',');
            }
            writer.Write(data.Label[i] == 1 ? "1.0\n" : "0.0\n");
        }
    });
}
