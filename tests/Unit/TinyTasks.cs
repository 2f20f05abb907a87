using Harness.Core.Data;

namespace Harness.Tests.Unit;

/// <summary>Small, fast spiral tasks for tests that train f.</summary>
public static class TinyTasks
{
    public static IReadOnlyList<SplitTask> Make(int count, int subsetSize = 80, ulong seed = 5) =>
        StratifiedSplitter.Split(SpiralGenerator.Generate(new SpiralParameters(count * subsetSize + 200, 1.5), seed),
            new SplitSettings(count, subsetSize), seed);
}
