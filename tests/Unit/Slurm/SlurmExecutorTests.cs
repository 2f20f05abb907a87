using Harness.Core.Runtime;
using Harness.Core.Specs;
using Harness.Core.Tracking;
using Harness.Experiments.Cli;
using Harness.Experiments.Runner;
using Harness.Experiments.Slurm;

namespace Harness.Tests.Unit.Slurm;

/// <summary>The sbatch scripts and dependency lines of a graph with a matrix, against a scheduler that records what it is given.</summary>
[Collection("torch")]
public sealed class SlurmExecutorTests : IDisposable
{
    private const string Spec = """
        project: slurm-test
        tracking: { uri: none }
        slurm:
          defaults: { partition: short }
          meta-train: { memory: 2G, time: "00:20:00" }
        datasets:
          - id: small
            generate: { rows: 2000, turns: 2.5, seed: 3 }
        experiments:
          - id: tasks
            kind: split
            seed: 1
            inputs: [small]
            settings: { subsets: 4, subset_size: 100 }
          - id: g
            kind: meta-train
            seed: 3
            matrix: { seed: [5, 6] }
            inputs: [tasks]
            settings: { optimizer: { hidden: 4 }, horizon: 4, truncation: 2, tasks_per_step: 2, validation_tasks: 1 }
          - id: probe
            kind: meta-test
            seed: 4
            inputs: [g@seed=5, tasks]
            settings: { horizon: 4 }
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"slurm-{Guid.NewGuid():N}");

    public SlurmExecutorTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Hands out job ids 101, 102, …; reports the states it is told to.</summary>
    private sealed class RecordingScheduler : ISlurmScheduler
    {
        public List<(string Script, IReadOnlyList<string> AfterOk)> Submitted { get; } = [];
        public Dictionary<string, string> StateOf { get; } = [];

        public string Submit(string scriptPath, IReadOnlyList<string> afterOk)
        {
            Submitted.Add((scriptPath, afterOk));
            return (100 + Submitted.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public IReadOnlyDictionary<string, string> States(IReadOnlyCollection<string> jobIds) =>
            StateOf.Where(s => jobIds.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value);
    }

    private (IReadOnlyList<SlurmExecutor.Submission> Submissions, IReadOnlyList<PlannedExperiment> Plan) Submit(RecordingScheduler slurm)
    {
        File.WriteAllText(Path.Combine(_folder, "experiments.yaml"), Spec);
        var file = RunCommands.LoadFile(Path.Combine(_folder, "experiments.yaml"));
        var outputs = Path.Combine(_folder, "outputs");
        var plan = new ExperimentRunner(file, new RunOptions(outputs, Threads: 2), NullTracker.Instance, SilentProgress.Instance, TextWriter.Null).PlanToRun([]);
        var executor = new SlurmExecutor(file, outputs, slurm, new SlurmResources(Time: "00:30:00"), ["dotnet", "/opt/harness/harness.dll"],
            ["--numerics", "portable", "-f", "/work/study/experiments.yaml", "--outputs", "/work/study/outputs", "--threads", "2"], "/work/study", 2);
        return (executor.Submit(plan), plan);
    }

    [Fact]
    public void Each_experiment_is_a_job_after_its_inputs_and_a_matrix_is_one_array()
    {
        var slurm = new RecordingScheduler();
        var (submissions, plan) = Submit(slurm);
        Assert.Equal(["tasks", "g@seed=5", "g@seed=6", "probe"], submissions.Select(s => s.Id));
        Assert.Equal(["101", "102_0", "102_1", "103"], submissions.Select(s => s.Job));
        Assert.Equal(3, slurm.Submitted.Count); // tasks, the array of g, probe
        Assert.Equal([[], ["101"], ["101", "102_0"]], slurm.Submitted.Select(s => s.AfterOk.ToArray()));

        var hash = plan.ToDictionary(p => p.Spec.Id, p => p.Hash);
        var array = File.ReadAllText(slurm.Submitted[1].Script);
        Assert.Equal($$"""
            #!/bin/bash
            #SBATCH --job-name=harness:g
            #SBATCH --output={{_folder}}/outputs/slurm/logs/{{Path.GetFileNameWithoutExtension(slurm.Submitted[1].Script)}}-%A_%a.log
            #SBATCH --cpus-per-task=2
            #SBATCH --mem=2G
            #SBATCH --time=00:30:00
            #SBATCH --partition=short
            #SBATCH --array=0-1
            #SBATCH --chdir=/work/study
            # Written by `harness run --executor slurm`: g@seed=5 (spec hash {{hash["g@seed=5"]}}), g@seed=6 (spec hash {{hash["g@seed=6"]}}).
            # Resubmit by hand: sbatch [--dependency=afterok:JOBID…] {{slurm.Submitted[1].Script}}
            set -euo pipefail
            ids=('g@seed=5' 'g@seed=6')
            id="${ids[$SLURM_ARRAY_TASK_ID]}"
            exec dotnet /opt/harness/harness.dll run --numerics portable -f /work/study/experiments.yaml --outputs /work/study/outputs --threads 2 "$id"

            """.Replace("\r\n", "\n"), array);
        var single = File.ReadAllText(slurm.Submitted[0].Script);
        Assert.Contains("#SBATCH --job-name=harness:tasks\n", single);
        Assert.Contains($"#SBATCH --output={_folder}/outputs/slurm/logs/tasks-{hash["tasks"]}-%j.log\n", single);
        Assert.Contains("#SBATCH --mem=2G\n#SBATCH --time=00:30:00\n#SBATCH --partition=short\n", single); // split's 2G is built in
        Assert.EndsWith("--threads 2 tasks\n", single);
        Assert.DoesNotContain("--array", single);

        var ledger = SlurmLedger.Read(Path.Combine(_folder, "outputs"));
        Assert.Equal(["101", "102_0", "102_1", "103"], ledger.Select(e => e.Job));
        Assert.EndsWith("-102_1.log", ledger[2].Log);
    }

    [Fact]
    public void A_rerun_submits_only_what_is_missing_and_waits_on_the_jobs_still_in_slurm()
    {
        var slurm = new RecordingScheduler();
        Submit(slurm);
        slurm.StateOf["101"] = "FAILED";      // tasks failed: submitted again
        slurm.StateOf["102_0"] = "RUNNING";   // g's members are still at work: waited on, not submitted twice
        slurm.StateOf["102_1"] = "PENDING";
        slurm.StateOf["103"] = "CANCELLED";
        slurm.Submitted.Clear();
        var (again, _) = Submit(slurm);
        Assert.Equal([SlurmExecutor.Submitted, SlurmExecutor.AlreadyRunning, SlurmExecutor.AlreadyQueued, SlurmExecutor.Submitted],
            again.Select(s => s.Action));
        Assert.Equal(["tasks", "probe"], slurm.Submitted.Select(s => Path.GetFileName(s.Script).Split('-')[0]));
        Assert.Equal([[], ["101", "102_0"]], slurm.Submitted.Select(s => s.AfterOk.ToArray()));
    }

    [Fact]
    public void Resources_come_from_the_kind_then_the_file_then_the_command_line()
    {
        File.WriteAllText(Path.Combine(_folder, "experiments.yaml"), Spec);
        var file = RunCommands.LoadFile(Path.Combine(_folder, "experiments.yaml"));
        Assert.Equal(new SlurmResources(2, "2G", "00:20:00", "short"), SlurmKindResources.For("meta-train", file.SlurmBlock, null));
        Assert.Equal(new SlurmResources(8, "2G", "00:20:00", "gpu"), SlurmKindResources.For("meta-train", file.SlurmBlock, new SlurmResources(8, Partition: "gpu")));
        Assert.Equal(new SlurmResources(2, "8G", "04:00:00", "short"), SlurmKindResources.For("compare", file.SlurmBlock, null));
    }
}
