namespace Harness.Experiments.Runner;

/// <summary>Marks an output whose Describe() `harness run` prints at the end (fresh or cached): tables people came for.</summary>
public interface IPrintedOutput : IExperimentOutput;
