namespace Harness.Experiments.Runner;

/// <summary>Marks an output whose Describe() `harness run` prints at the end (fresh or cached): tables people came for.</summary>
public interface IPrintedOutput : IExperimentOutput;

/// <summary>An output with a headline: the few numbers report.md puts first, above every experiment's section.</summary>
public interface IHeadlineOutput
{
    string Headline();
}
