using System.Globalization;
using System.Text;
using Harness.Core.Runtime;

namespace Harness.Core.Data;

/// <summary>Writes the study's CSV layout (x,y,label with labels as 0.0/1.0), atomically.</summary>
public static class CsvDatasetWriter
{
    public static void Write(Dataset data, string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.Write("x,y,label\n");
        for (int i = 0; i < data.Rows; i++)
        {
            writer.Write(data.X[i].ToString("R", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(data.Y[i].ToString("R", CultureInfo.InvariantCulture));
            writer.Write(data.Label[i] == 1 ? ",1.0\n" : ",0.0\n");
        }
    });
}
