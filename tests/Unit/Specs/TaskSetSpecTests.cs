using Harness.Core.Evaluation;
using Harness.Core.Meta;
using Harness.Core.Models;

namespace Harness.Tests.Unit.Specs;

/// <summary>The task-family keys in experiments.yaml: benchmark task sets, f per task set, minibatches, meta-train mixtures.</summary>
public class TaskSetSpecTests
{
    private const string Text = """
        project: task-sets
        datasets:
          - { id: moons, generate: { family: moons, rows: 2000, seed: 3 } }
          - { id: wide, generate: { family: blobs, rows: 2000, extra_dims: 3, seed: 4 } }
        experiments:
          - { id: split-moons, kind: split, seed: 1, inputs: [moons], settings: { subsets: 4, subset_size: 200 } }
          - { id: split-wide, kind: split, seed: 2, inputs: [wide], settings: { subsets: 4, subset_size: 200 } }
          - id: g
            kind: meta-train
            seed: 5
            inputs: [split-moons, split-wide]
            settings:
              optimizer: { hidden: 4 }
              validation_tasks: 1
              tasks:
                - { input: split-moons, weight: 2 }
                - { input: split-wide, weight: 1, f: { layers: [5, 16, 1], activation: tanh } }
          - id: bench
            kind: benchmark
            seed: 6
            inputs: [g, split-moons, split-wide]
            settings:
              horizons: [10]
              baselines: [adam]
              tuning_tasks: 2
              task_sets:
                - { id: moons, train: split-moons, test: split-moons, f: { activation: gelu } }
                - { id: wide, train: split-wide, test: split-wide, batch_size: 16, guard_on: full }
          - id: cmp
            kind: compare
            seed: 7
            inputs: [g, split-moons, split-moons]
            settings: { horizons: [10], baselines: [adam], tuning_tasks: 2, f: { layers: [2, 8, 8, 1] }, batch_size: 32, curve_every: 5 }
        """;

    [Fact]
    public void Every_new_key_binds_to_its_setting()
    {
        var file = SpecFixtures.Parse(Text);
        var meta = (MetaTrainSettings)file.FindExperiment("g")!.Settings;
        Assert.Equal(2, meta.Tasks!.Length);
        Assert.Equal([5, 16, 1], meta.Tasks[1].F!.Layers!);
        Assert.Equal(Activation.Tanh, meta.Tasks[1].F!.Activation);
        Assert.Equal(2, meta.Tasks[0].Weight);
        var bench = (BenchmarkSettings)file.FindExperiment("bench")!.Settings;
        Assert.Equal(Activation.Gelu, bench.TaskSets[0].F!.Activation);
        Assert.Equal(new TrainingRegime(16, GuardOn.Full), bench.RegimeOf(bench.TaskSets[1]));
        var compare = (CompareSettings)file.FindExperiment("cmp")!.Settings;
        Assert.Equal(new TrainingRegime(32, GuardOn.Minibatch, 5), compare.Regime);
        Assert.Equal([2, 8, 8, 1], compare.F!.Layers!);
    }

    [Theory]
    [InlineData("{ input: split-wide, weight: 1,", "{ input: split-wide, weight: -1,", "experiments.g.settings.tasks[1].weight", "finite number > 0")]
    [InlineData("- { input: split-wide, weight: 1, f: { layers: [5, 16, 1], activation: tanh } }", "", "experiments.g.inputs", "input 'split-wide' is named by no entry of tasks")]
    [InlineData("activation: tanh } }", "activation: swish } }", "experiments.g.settings.tasks[1].f.activation", "relu, tanh, gelu, sigmoid")]
    [InlineData("f: { activation: gelu } }", "f: { layers: [2, 8, 3] } }", "experiments.bench.settings.task_sets[0].f.layers", "one logit")]
    [InlineData("batch_size: 16, guard_on: full", "batch_size: 0, guard_on: full", "experiments.bench.settings.task_sets[1].batch_size", "≥ 1")]
    [InlineData("batch_size: 16, guard_on: full", "batch_size: 16, guard_on: everything", "experiments.bench.settings.task_sets[1].guard_on", "minibatch, full")]
    [InlineData("{ id: wide, train: split-wide", "{ id: moons, train: split-wide", "experiments.bench.settings.task_sets[1].id", "used twice")]
    [InlineData("train: split-wide, test: split-wide,", "train: split-wide, test: split-other,", "experiments.bench.inputs", "names 'split-other', which is not among the inputs")]
    [InlineData("inputs: [g, split-moons, split-wide]", "inputs: [g, split-moons]", "experiments.bench.inputs", "not among the inputs")]
    [InlineData("baselines: [adam]\n      tuning_tasks: 2\n      task_sets", "baselines: [sgd]\n      tuning_tasks: 2\n      task_sets", "experiments.bench.settings.reference", "must be one of the baselines")]
    [InlineData("tuning_tasks: 2\n      task_sets", "tuning_tasks: 9\n      task_sets", "experiments.bench.inputs", "tuning_tasks (9) exceeds the 4 tasks of 'split-moons'")]
    [InlineData("baselines: [adam]\n      tuning_tasks: 2\n      task_sets", "baselines: [adam]\n      controls: [g-deferred-guard]\n      tuning_tasks: 2\n      task_sets",
        "experiments.bench.settings.task_sets[1].batch_size", "g-deferred-guard judges each step by the next step's loss")]
    [InlineData("curve_every: 5", "curve_every: 0", "experiments.cmp.settings.curve_every", "≥ 1")]
    [InlineData("inputs: [g, split-moons, split-moons]", "inputs: [g, split-moons, split-wide]", "experiments.cmp.inputs", "have different feature counts")]
    [InlineData("batch_size: 16, guard_on: full", "batch_size: 16, f: { layers: [2, 16, 1] }", "experiments.bench.inputs", "starts with 2 inputs, but 'split-wide' has 5 features: start f.layers with 5")]
    [InlineData("f: { layers: [5, 16, 1], activation: tanh }", "f: { layers: [4, 16, 1] }", "experiments.g.inputs", "'split-wide' has 5 features")]
    public void Each_mistake_is_located_at_its_key(string find, string replace, string keyPath, string message)
    {
        var errors = SpecFixtures.Errors(Text.Edit(find, replace)).Errors;
        Assert.Contains(errors, e => e.KeyPath == keyPath && e.Message.Contains(message) && e.Line >= 1);
    }

    [Fact]
    public void A_split_listed_twice_among_a_benchmarks_inputs_is_one_input()
    {
        var file = SpecFixtures.Parse(Text.Edit("inputs: [g, split-moons, split-wide]", "inputs: [g, split-moons, split-wide, split-moons]"));
        Assert.Equal(4, file.FindExperiment("bench")!.Inputs.Count);
    }

    [Fact]
    public void A_meta_train_without_a_mixture_needs_f_to_take_its_tasks_width()
    {
        var text = Text.Edit("inputs: [split-moons, split-wide]", "inputs: [split-wide]")
            .Edit("      tasks:\n        - { input: split-moons, weight: 2 }\n        - { input: split-wide, weight: 1, f: { layers: [5, 16, 1], activation: tanh } }\n", "");
        var error = Assert.Single(SpecFixtures.Errors(text).Errors, e => e.KeyPath == "experiments.g.inputs");
        Assert.Contains("f.layers [2, 128, 64, 1] starts with 2 inputs, but 'split-wide' has 5 features", error.Message);
    }

}
