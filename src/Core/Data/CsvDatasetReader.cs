using System.Globalization;

namespace Harness.Core.Data;

/// <summary>
/// Reads the study's CSV files: a header naming the columns x, y and label (in any order), then one row per point.
/// Every problem is reported with file, line and column (up to <see cref="MaxProblems"/> at once).
/// </summary>
public static class CsvDatasetReader
{
    public const int MaxProblems = 20;
    private static readonly string[] Required = ["x", "y", "label"];

    public static Dataset Read(string path, string? name = null)
    {
        if (!File.Exists(path))
            throw new UserInputException($"{path}: no such file. Give the path of a CSV file with columns x,y,label.");
        using var reader = new StreamReader(path);
        return Read(reader, path, name ?? Path.GetFileNameWithoutExtension(path));
    }

    public static Dataset Read(TextReader reader, string file, string name)
    {
        var problems = new List<DataFormatProblem>();
        string? header = reader.ReadLine();
        int lineNumber = 1;
        while (header is not null && header.Trim().Length == 0)
        {
            header = reader.ReadLine();
            lineNumber++;
        }
        if (header is null)
            throw new DataFormatException(file, [new(1, null, "the file is empty: expected a header line 'x,y,label' and data rows")]);

        var columns = header.TrimStart('\uFEFF').Split(',').Select(c => c.Trim().ToLowerInvariant()).ToArray();
        var position = new int[3];
        for (int r = 0; r < Required.Length; r++)
        {
            position[r] = Array.IndexOf(columns, Required[r]);
            if (position[r] < 0)
                problems.Add(new(lineNumber, null,
                    $"missing column '{Required[r]}' in the header '{header}': expected the columns x,y,label"));
        }
        for (int c = 0; c < columns.Length; c++)
        {
            if (!Required.Contains(columns[c]))
                problems.Add(new(lineNumber, c + 1,
                    $"unexpected column '{columns[c]}' in the header: expected exactly the columns x,y,label"));
            else if (Array.IndexOf(columns, columns[c]) != c)
                problems.Add(new(lineNumber, c + 1, $"column '{columns[c]}' appears twice in the header"));
        }
        if (problems.Count > 0) throw new DataFormatException(file, problems);

        var x = new List<double>(1 << 16);
        var y = new List<double>(1 << 16);
        var label = new List<byte>(1 << 16);
        var values = new double[3];
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line)) continue;
            if (ParseRow(line.AsSpan(), lineNumber, columns.Length, position, values, problems))
            {
                x.Add(values[0]);
                y.Add(values[1]);
                label.Add((byte)values[2]);
            }
            if (problems.Count >= MaxProblems) break;
        }
        if (problems.Count > 0) throw new DataFormatException(file, problems);
        if (x.Count == 0)
            throw new DataFormatException(file, [new(lineNumber, null, "the file has a header but no data rows")]);

        var dataset = new Dataset(name, x.ToArray(), y.ToArray(), label.ToArray());
        int zeros = dataset.CountOf(0);
        if (zeros == 0 || zeros == dataset.Rows)
            throw new DataFormatException(file, [new(lineNumber, null,
                $"every row has label {(zeros == 0 ? 1 : 0)}: a binary classification dataset needs both classes 0 and 1")]);
        return dataset;
    }

    /// <summary>Parses one row into values (x, y, label); adds problems and returns false when it is bad.</summary>
    private static bool ParseRow(ReadOnlySpan<char> line, int lineNumber, int expectedColumns, int[] position,
        double[] values, List<DataFormatProblem> problems)
    {
        int fieldCount = line.Count(',') + 1;
        if (fieldCount != expectedColumns)
        {
            problems.Add(new(lineNumber, null,
                $"{fieldCount} fields where the header has {expectedColumns}: expected one value per column (x,y,label)"));
            return false;
        }
        bool ok = true;
        int column = 0;
        foreach (var range in line.Split(','))
        {
            var field = line[range].Trim();
            int which = Array.IndexOf(position, column);
            string columnName = Required[which];
            int charColumn = range.Start.Value + 1;
            if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                problems.Add(new(lineNumber, charColumn,
                    $"'{field.ToString()}' in column '{columnName}' is not a number: expected a decimal like 12.5 or -3e-2"));
                ok = false;
            }
            else if (!double.IsFinite(value))
            {
                problems.Add(new(lineNumber, charColumn,
                    $"'{field.ToString()}' in column '{columnName}' is not finite: NaN and infinity are not allowed"));
                ok = false;
            }
            else if (which == 2 && value != 0.0 && value != 1.0)
            {
                problems.Add(new(lineNumber, charColumn,
                    $"label '{field.ToString()}' is not 0 or 1: the label column must hold 0 (or 0.0) and 1 (or 1.0) only"));
                ok = false;
            }
            else
            {
                values[which] = value;
            }
            column++;
        }
        return ok;
    }
}
