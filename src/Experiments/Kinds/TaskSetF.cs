using Harness.Core;
using Harness.Core.Data;
using Harness.Core.Models;

namespace Harness.Experiments.Kinds;

/// <summary>The f a kind trains on its tasks: the declared one, completed from meta-training's f and the tasks' width.</summary>
public static class TaskSetF
{
    public static MlpArchitecture Resolve(MlpSettings? declared, MlpArchitecture metaTrained, params IReadOnlyList<SplitTask>[] taskLists)
    {
        var widths = taskLists.Select(tasks => tasks[0].FeatureCount).Distinct().ToList();
        if (widths.Count > 1)
            throw new UserInputException(
                $"the input splits' tasks have different feature counts ({string.Join(" and ", widths)}): tune and test on tasks of the same width");
        return (declared ?? new MlpSettings()).Resolve(metaTrained, widths[0]);
    }
}
