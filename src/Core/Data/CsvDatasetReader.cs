using System.Globalization;

namespace Harness.Core.Data;

/// <summary>
/// Reads a dataset from CSV: a header naming the columns, one of them `label` (0 or 1), every other a numeric
/// feature (the study's files have x, y, label; any number of features works). Features keep file order, except that
/// x and y, where both are present, come first, so the study's files read (and fingerprint) alike in any column order. Every problem is
/// reported with file, line and column (up to <see cref="MaxProblems"/> at once).
/// </summary>
public static class CsvDatasetReader
{
    public const int MaxProblems = 20;
    public const string LabelColumn = "label";

    public static Dataset Read(string path, string? name = null)
    {
        if (Directory.Exists(path))
            throw new UserInputException($"{path} is a folder, not a CSV file: give the path of a CSV file inside it (a header of feature columns and a 'label' column).");
        if (!File.Exists(path))
            throw new UserInputException($"{path}: no such file. Give the path of a CSV file with a header of feature columns and a 'label' column (e.g. x,y,label).");
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
            throw new DataFormatException(file, [new(1, null, "the file is empty: expected a header line like 'x,y,label' and data rows")]);

        var columns = header.TrimStart('\uFEFF').Split(',').Select(c => c.Trim().ToLowerInvariant()).ToArray();
        int labelAt = Array.IndexOf(columns, LabelColumn);
        if (labelAt < 0)
            problems.Add(new(lineNumber, null,
                $"missing column '{LabelColumn}' in the header '{header}': name the 0/1 class column 'label' (e.g. x,y,label)"));
        else if (columns.Length == 1)
            problems.Add(new(lineNumber, null, $"the header '{header}' has no feature column: give at least one numeric column besides 'label'"));
        for (int c = 0; c < columns.Length; c++)
        {
            if (columns[c].Length == 0)
                problems.Add(new(lineNumber, c + 1, $"column {c + 1} of the header has no name: name every column"));
            else if (Array.IndexOf(columns, columns[c]) != c)
                problems.Add(new(lineNumber, c + 1, $"column '{columns[c]}' appears twice in the header"));
        }
        if (problems.Count > 0) throw new DataFormatException(file, problems);

        var featureOrder = Enumerable.Range(0, columns.Length).Where(c => c != labelAt).ToList();
        if (columns.Contains("x") && columns.Contains("y"))
            featureOrder = [Array.IndexOf(columns, "x"), Array.IndexOf(columns, "y"), .. featureOrder.Where(c => columns[c] is not ("x" or "y"))];
        var featureNames = featureOrder.Select(c => columns[c]).ToArray();
        var features = featureNames.Select(_ => new List<double>(1 << 16)).ToArray();
        var label = new List<byte>(1 << 16);
        var values = new double[columns.Length];
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line)) continue;
            if (ParseRow(line.AsSpan(), lineNumber, columns, labelAt, values, problems))
            {
                label.Add((byte)values[labelAt]);
                for (int d = 0; d < featureOrder.Count; d++) features[d].Add(values[featureOrder[d]]);
            }
            if (problems.Count >= MaxProblems) break;
        }
        if (problems.Count > 0) throw new DataFormatException(file, problems);
        if (label.Count == 0)
            throw new DataFormatException(file, [new(lineNumber, null, "the file has a header but no data rows")]);

        var dataset = new Dataset(name, features.Select(f => f.ToArray()).ToArray(), featureNames, label.ToArray());
        int zeros = dataset.CountOf(0);
        if (zeros == 0 || zeros == dataset.Rows)
            throw new DataFormatException(file, [new(lineNumber, null,
                $"every row has label {(zeros == 0 ? 1 : 0)}: a binary classification dataset needs both classes 0 and 1")]);
        return dataset;
    }

    /// <summary>Parses one row into values (one per column, in header order); adds problems and returns false when it is bad.</summary>
    private static bool ParseRow(ReadOnlySpan<char> line, int lineNumber, string[] columns, int labelAt,
        double[] values, List<DataFormatProblem> problems)
    {
        int fieldCount = line.Count(',') + 1;
        if (fieldCount != columns.Length)
        {
            problems.Add(new(lineNumber, null,
                $"{fieldCount} fields where the header has {columns.Length}: expected one value per column ({string.Join(",", columns)})"));
            return false;
        }
        bool ok = true;
        int column = 0;
        foreach (var range in line.Split(','))
        {
            var field = line[range].Trim();
            string columnName = columns[column];
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
            else if (column == labelAt && value != 0.0 && value != 1.0)
            {
                problems.Add(new(lineNumber, charColumn,
                    $"label '{field.ToString()}' is not 0 or 1: the label column must hold 0 (or 0.0) and 1 (or 1.0) only"));
                ok = false;
            }
            else
            {
                values[column] = value;
            }
            column++;
        }
        return ok;
    }
}
