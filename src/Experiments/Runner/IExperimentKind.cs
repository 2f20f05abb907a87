using Harness.Core.Specs;

namespace Harness.Experiments.Runner;

/// <summary>An experiment kind the runner can execute: descriptor (for the spec loader) plus run and load.</summary>
public interface IExperimentKind : IExperimentKindDescriptor
{
    /// <summary>Runs the experiment. Inputs are Datasets (for dataset ids) or other experiments' outputs, in spec order.</summary>
    IExperimentOutput Run(RunContext context, object settings, IReadOnlyList<object> inputs);

    /// <summary>Restores a finished output from its folder (a cache hit), for experiments that depend on it.</summary>
    IExperimentOutput Load(string directory, object settings);

    /// <summary>What the run reads its input at <paramref name="index"/> for (MLflow's dataset context: training, test…).</summary>
    string InputRole(int index) => "input";
}

/// <summary>What an experiment produced: a result record (JSON, golden-tested) and its artifact files.</summary>
public interface IExperimentOutput
{
    /// <summary>The result record: small, deterministic, compared by the golden tests.</summary>
    object Summary { get; }

    /// <summary>A short Markdown summary for people (MLflow's run note, the console).</summary>
    string Describe();

    /// <summary>Writes artifacts (besides result.json) into the experiment's folder.</summary>
    void Save(string directory);
}

/// <summary>
/// Base class of every kind: one class plus its settings record adds a kind (the catalog finds it by reflection).
/// </summary>
public abstract class ExperimentKind<TSettings, TOutput> : IExperimentKind
    where TSettings : class
    where TOutput : IExperimentOutput
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public Type SettingsType => typeof(TSettings);

    public IEnumerable<string> CheckInputs(object settings, IReadOnlyList<InputInfo> inputs) =>
        CheckInputs((TSettings)settings, inputs);

    public IExperimentOutput Run(RunContext context, object settings, IReadOnlyList<object> inputs) =>
        Run(context, (TSettings)settings, inputs);

    public IExperimentOutput Load(string directory, object settings) => Load(directory, (TSettings)settings);

    public virtual string InputRole(int index) => "input";

    protected abstract IEnumerable<string> CheckInputs(TSettings settings, IReadOnlyList<InputInfo> inputs);
    protected abstract TOutput Run(RunContext context, TSettings settings, IReadOnlyList<object> inputs);
    protected abstract TOutput Load(string directory, TSettings settings);
}
