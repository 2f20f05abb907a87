using Harness.Core;
using Harness.Core.Data;
using Harness.Core.Models;
using Harness.Core.Specs;

namespace Harness.Experiments.Kinds;

/// <summary>The f a kind trains on its tasks: the declared one, completed from meta-training's f and the tasks' width.</summary>
public static class TaskSetF
{
    /// <summary>Where a declared f's input width cannot take the tasks' features, the message (for a kind's input check).</summary>
    public static IEnumerable<string> WidthProblems(MlpSettings? declared, string where, params InputInfo[] splits)
    {
        var widths = splits.Where(s => s.Features > 0).Select(s => (s.Id, s.Features)).Distinct().ToList();
        if (widths.Select(w => w.Features).Distinct().Count() > 1)
            yield return $"{where}: the splits {string.Join(" and ", widths.Select(w => $"'{w.Id}' ({w.Features} features)"))} " +
                         "have different feature counts: tune and test on tasks of the same width";
        else if (declared?.Layers is { Length: > 0 } layers && widths.Count > 0 && layers[0] != widths[0].Features)
            yield return $"{where}: f.layers [{string.Join(", ", layers)}] starts with {layers[0]} inputs, but '{widths[0].Id}' has " +
                         $"{widths[0].Features} features: start f.layers with {widths[0].Features} (or leave out layers)";
    }

    public static MlpArchitecture Resolve(MlpSettings? declared, MlpArchitecture metaTrained, params IReadOnlyList<SplitTask>[] taskLists)
    {
        var widths = taskLists.Select(tasks => tasks[0].FeatureCount).Distinct().ToList();
        if (widths.Count > 1)
            throw new UserInputException(
                $"the input splits' tasks have different feature counts ({string.Join(" and ", widths)}): tune and test on tasks of the same width");
        return (declared ?? new MlpSettings()).Resolve(metaTrained, widths[0]);
    }
}
