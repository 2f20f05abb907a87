namespace Harness.Core.Specs;

/// <summary>What the spec loader needs to know of an experiment kind: its name, settings record and input rules.</summary>
public interface IExperimentKindDescriptor
{
    string Name { get; }
    string Description { get; }
    Type SettingsType { get; }

    /// <summary>Problems with the experiment's inputs (their number, kinds, or sizes), empty when they fit.</summary>
    IEnumerable<string> CheckInputs(object settings, IReadOnlyList<InputInfo> inputs);
}

/// <summary>
/// An input as the loader sees it: a dataset (with class counts) or another experiment (with its settings). Features is
/// the feature count of the data behind it (a dataset's, or a split's dataset's; 0 where no data is behind it).
/// </summary>
public sealed record InputInfo(string Id, string Kind, int Class0Rows, int Class1Rows, object? Settings, int Features = 0)
{
    public const string DatasetKind = "dataset";
    public bool IsDataset => Kind == DatasetKind;
}
