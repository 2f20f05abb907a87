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

/// <summary>An input as the loader sees it: a dataset (with class counts) or another experiment (with its settings).</summary>
public sealed record InputInfo(string Id, string Kind, int Class0Rows, int Class1Rows, object? Settings)
{
    public const string DatasetKind = "dataset";
    public bool IsDataset => Kind == DatasetKind;
}
