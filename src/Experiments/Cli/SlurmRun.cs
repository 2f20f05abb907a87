using System.CommandLine;
using System.Globalization;
using Harness.Core;
using Harness.Core.Runtime;
using Harness.Core.Specs;
using Harness.Experiments.Runner;
using Harness.Experiments.Slurm;
using Spectre.Console;

namespace Harness.Experiments.Cli;

/// <summary>`harness run --executor slurm`: submit the graph's missing experiments as sbatch jobs, print their ids, return (or --wait).</summary>
public static class SlurmRun
{
    public static readonly Option<string> Executor = Accepting(new Option<string>("--executor")
    {
        Description = "local (default): run here; slurm: submit each experiment without a result as an sbatch job (dependencies as afterok) and return.",
        DefaultValueFactory = _ => "local",
    }, "local", "slurm");

    public static readonly Option<bool> Wait = new("--wait") { Description = "With --executor slurm: wait for the jobs, with progress, and exit 1 if any failed." };
    public static readonly Option<int?> Cpus = new("--cpus") { Description = "With --executor slurm: CPUs per job (and threads, unless --threads is given)." };
    public static readonly Option<string?> Memory = new("--mem") { Description = "With --executor slurm: memory per job (e.g. 8G)." };
    public static readonly Option<string?> Time = new("--time") { Description = "With --executor slurm: time limit per job (e.g. 04:00:00)." };
    public static readonly Option<string?> Partition = new("--partition") { Description = "With --executor slurm: the partition to submit to." };

    private static Option<string> Accepting(Option<string> option, params string[] values)
    {
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    public static IEnumerable<Option> Options => [Executor, Wait, Cpus, Memory, Time, Partition];

    /// <summary>The command line's resources, checked like the file's `slurm:` block.</summary>
    public static SlurmResources? CommandLineResources(ParseResult parse)
    {
        var given = new SlurmResources(parse.GetValue(Cpus), parse.GetValue(Memory), parse.GetValue(Time), parse.GetValue(Partition));
        var problems = given.Validate().Select(p => $"--{(p.Key == "memory" ? "mem" : p.Key)}: {p.Message}").ToList();
        if (problems.Count > 0) throw new UserInputException(string.Join(Environment.NewLine, problems));
        return given == new SlurmResources() ? null : given;
    }

    public static int Submit(ParseResult parse, ExperimentsFile file, RunOptions options, IReadOnlyList<string> ids, ISlurmScheduler slurm)
    {
        if (options.Force)
            throw new UserInputException("--force with --executor slurm would make every job recompute its inputs too: delete the result folders " +
                                         "to recompute (outputs/ID/HASH), or run --force with the local executor.");
        var plan = new ExperimentRunner(file, options, Harness.Core.Tracking.NullTracker.Instance, SilentProgress.Instance, TextWriter.Null).PlanToRun(ids);
        ResultFolder.EnsureWritableOutputs(options.OutputsDirectory);
        var arguments = new List<string>
        {
            "--numerics", Numerics.Mode.Name(), "-f", Path.GetFullPath(file.Path), "--outputs", Path.GetFullPath(options.OutputsDirectory),
            "--threads", options.Threads.ToString(CultureInfo.InvariantCulture),
        };
        if (options.Golden) arguments.Add("--golden");
        if (options.Device != DeviceChoice.Cpu) arguments.AddRange(["--device", options.Device.ToString().ToLowerInvariant()]);
        if (options.Resume) arguments.Add("--resume");
        if (!options.SystemMetrics) arguments.Add("--no-system-metrics");
        if (options.Unseal is { } reason) arguments.AddRange(["--unseal", reason]);
        var command = new[] { Environment.ProcessPath ?? "dotnet", System.Reflection.Assembly.GetEntryAssembly()!.Location };
        var executor = new SlurmExecutor(file, options.OutputsDirectory, slurm, CommandLineResources(parse), command, arguments,
            Directory.GetCurrentDirectory(), options.Threads);
        var submissions = executor.Submit(plan);

        var table = new Table().AddColumns("experiment", "hash", "job", "after", "state");
        foreach (var s in submissions)
            table.AddRow(s.Id, s.Hash, s.Job ?? "", string.Join(",", s.AfterOk), s.Action);
        CliApp.Console2.Write(table);
        int submitted = submissions.Count(s => s.Action == SlurmExecutor.Submitted);
        Console.WriteLine($"{submitted} job(s) submitted, {submissions.Count(s => s.Action is SlurmExecutor.AlreadyQueued or SlurmExecutor.AlreadyRunning)} " +
                          $"already in Slurm, {submissions.Count(s => s.Action == SlurmExecutor.Cached)} cached; scripts and logs in " +
                          $"{Relative(SlurmLedger.FolderOf(options.OutputsDirectory))}/ (status: ./harness status{Args(parse)})");
        if (!parse.GetValue(Wait)) return ExitCodes.Success;
        return WaitFor(plan, options.OutputsDirectory, slurm, submissions.Where(s => s.Job is not null).Select(s => s.Job!).ToList());
    }

    /// <summary>Polls squeue/scontrol until none of the jobs is queued or running; exit 1 when an experiment has no result.</summary>
    private static int WaitFor(IReadOnlyList<PlannedExperiment> plan, string outputs, ISlurmScheduler slurm, IReadOnlyList<string> jobs)
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancellation.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            ConsoleProgress.Run(progress =>
            {
                using var task = progress.Start("slurm jobs", jobs.Count);
                int reported = 0;
                while (!cancellation.IsCancellationRequested)
                {
                    var states = slurm.States(jobs);
                    int active = jobs.Count(j => SlurmJobStates.IsActive(states.GetValueOrDefault(j)));
                    int running = jobs.Count(j => SlurmJobStates.IsRunning(states.GetValueOrDefault(j)));
                    task.Describe($"{running} running, {active - running} queued");
                    if (jobs.Count - active > reported) task.Advance(jobs.Count - active - reported);
                    reported = Math.Max(reported, jobs.Count - active);
                    if (active == 0) break;
                    cancellation.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(2));
                }
                return 0;
            });
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        if (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine("stopped waiting; the jobs go on in Slurm (./harness status shows them, scancel stops them).");
            return ExitCodes.Failed;
        }
        var rows = ExperimentStatus.Of(plan, outputs, slurm);
        var failed = rows.Where(r => r.State == ExperimentStatus.Failed).ToList();
        foreach (var r in failed) Console.Error.WriteLine($"{r.Id}: job {r.Job} ended {r.SlurmState} without a result; its log: {r.Log}");
        Console.WriteLine(failed.Count == 0
            ? $"{rows.Count} experiment(s) done (results in {Relative(outputs)}/)"
            : $"{failed.Count} of {rows.Count} experiment(s) failed; fix the cause and rerun the same command: only what is missing is submitted.");
        return failed.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
    }

    private static string Args(ParseResult parse) =>
        (parse.GetValue(RunCommands.File) is { } f && f != "experiments.yaml" ? $" -f {f}" : "") +
        (parse.GetResult(RunCommands.GoldenOption) is { Implicit: false } ? " --golden" : "");

    private static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, Path.GetFullPath(path));
}
