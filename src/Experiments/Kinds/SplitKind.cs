using Harness.Core.Data;
using Harness.Core.Specs;
using Harness.Experiments.Runner;

namespace Harness.Experiments.Kinds;

/// <summary>`split`: the study's K balanced, disjoint subsets of one dataset, each split train/test (and standardised).</summary>
public sealed class SplitKind : ExperimentKind<SplitSettings, SplitOutput>
{
    public const string TasksFile = "tasks.bin";
    public const string KindName = "split";

    public override string Name => KindName;
    public override string Description => "K balanced disjoint subsets of a dataset, stratified train/test inside each";
    public override string InputRole(int index) => "source";

    protected override IEnumerable<string> CheckInputs(SplitSettings settings, IReadOnlyList<InputInfo> inputs)
    {
        if (inputs.Count != 1 || !inputs[0].IsDataset)
        {
            yield return "a split takes exactly one input: the id of a dataset";
            yield break;
        }
        int needed = settings.Subsets * settings.SubsetSize / 2;
        var d = inputs[0];
        if (d.Class0Rows < needed || d.Class1Rows < needed)
            yield return $"{settings.Subsets} subsets of {settings.SubsetSize} rows need {needed} rows of each class, but " +
                         $"dataset '{d.Id}' has {d.Class0Rows} of class 0 and {d.Class1Rows} of class 1: lower subsets or subset_size";
    }

    protected override SplitOutput Run(RunContext context, SplitSettings settings, IReadOnlyList<object> inputs)
    {
        var data = (Dataset)inputs[0];
        var tasks = StratifiedSplitter.Split(data, settings, context.ChildSeed("split"));
        return new SplitOutput(tasks, data.Fingerprint, data);
    }

    protected override SplitOutput Load(string directory, SplitSettings settings)
    {
        var result = ResultFolder.ReadResult<SplitResult>(directory);
        return new SplitOutput(SplitTaskStore.Load(Path.Combine(directory, TasksFile)), result.DatasetFingerprint);
    }
}

/// <summary>A split's tasks, the result record that summarises them and, when freshly made, a scatter plot of its dataset.</summary>
public sealed class SplitOutput(IReadOnlyList<SplitTask> tasks, string datasetFingerprint, Dataset? source = null) : IExperimentOutput
{
    public IReadOnlyList<SplitTask> Tasks { get; } = tasks;

    public object Summary { get; } = new SplitResult(
        tasks.Count,
        tasks.Count == 0 ? 0 : tasks[0].TrainCount,
        tasks.Count == 0 ? 0 : tasks[0].TestCount,
        datasetFingerprint,
        SplitTaskStore.Fingerprint(tasks),
        tasks.Select(t => t.TrainSourceRows.Take(3).ToArray()).Take(3).ToArray());

    public string Describe()
    {
        var r = (SplitResult)Summary;
        return $"**split**: {r.Subsets} subsets, {r.TrainRowsPerSubset} train / {r.TestRowsPerSubset} test rows each " +
               $"(balanced); tasks {r.TasksFingerprint[..19]}…";
    }

    public void Save(string directory)
    {
        SplitTaskStore.Save(Tasks, Path.Combine(directory, SplitKind.TasksFile));
        if (source is not null) Harness.Core.Reporting.Plots.DatasetScatter(source, Path.Combine(directory, "dataset.png"));
    }
}

/// <summary>The split's result record: sizes and fingerprints, plus the first source rows as a readable check.</summary>
public sealed record SplitResult(
    int Subsets,
    int TrainRowsPerSubset,
    int TestRowsPerSubset,
    string DatasetFingerprint,
    string TasksFingerprint,
    int[][] FirstSourceRows);
