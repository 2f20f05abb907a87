namespace Harness.Experiments.Runner;

/// <summary>An output whose summary `harness run` prints at the end (fresh or cached): tables people came for.</summary>
public interface IPrintedOutput
{
    string Describe();
}
