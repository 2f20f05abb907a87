using System.Text.Json.Nodes;

namespace Harness.Tests.Integration.Cli;

[Collection("torch")]
public class MetaPipelineTests
{
    public const string Spec = """
        project: meta-test
        tracking: { uri: none }
        datasets:
          - id: d1
            generate: { rows: 4000, turns: 2.5, seed: 1 }
          - id: d2
            generate: { rows: 2000, turns: 2.0, seed: 2 }
        experiments:
          - id: train-tasks
            kind: split
            seed: 1
            inputs: [d1]
            settings: { subsets: 6, subset_size: 200 }
          - id: test-tasks
            kind: split
            seed: 2
            inputs: [d2]
            settings: { subsets: 3, subset_size: 200 }
          - id: g
            kind: meta-train
            seed: 3
            inputs: [train-tasks]
            settings:
              optimizer: { hidden: 6, inputs: [adam-gradient, momenta], output: adam-residual, learning_rate: 0.02 }
              f: { layers: [2, 16, 1] }
              epochs: 2
              horizon: 6
              truncation: 3
              tasks_per_step: 2
              meta_loss: log-ratio
              validation_tasks: 2
              validation_horizon_factor: 2
          - id: eval
            kind: meta-test
            seed: 4
            inputs: [g, test-tasks]
            settings: { horizon: 20, evaluation_steps: [0, 10], adam_learning_rate: 0.02 }
          - id: cmp
            kind: compare
            seed: 5
            inputs: [g, train-tasks, test-tasks]
            settings: { horizons: [5, 10], baselines: [sgd, adam], learning_rates: [0.01, 0.1], tuning_tasks: 2, inits_per_task: 4 }
        """;

    [Fact]
    public void Meta_training_and_testing_run_end_to_end_reproducibly_and_reuse_the_checkpoint()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Spec);
        var first = CliRunner.Run(folder.Path, "run", "--threads", "1");
        Assert.True(first.ExitCode == 0, first.All);

        var gDir = Assert.Single(Directory.GetDirectories(folder.File("outputs/g")));
        foreach (var file in new[] { "g-best.pt", "g-best.json", "g-last.pt", "g-last.json", "result.json", "spec.yaml" })
            Assert.True(File.Exists(Path.Combine(gDir, file)), file);
        var checkpoint = File.ReadAllBytes(Path.Combine(gDir, "g-best.pt"));
        var evalDir = Assert.Single(Directory.GetDirectories(folder.File("outputs/eval")));
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(evalDir, "result.json")))!["result"]!;
        var optimizers = result["optimizers"]!.AsArray();
        Assert.Equal(["g", "adam"], optimizers.Select(o => o!["optimizer"]!.GetValue<string>()));
        var gFinal = optimizers[0]!["steps"]!.AsArray().Last()!;
        Assert.Equal(20, gFinal["step"]!.GetValue<int>());
        Assert.InRange(gFinal["test_accuracy"]!.GetValue<double>(), 0.5, 1.0);
        Assert.Equal(3 * 2 + 1, File.ReadAllLines(Path.Combine(evalDir, "per-task.csv")).Length);

        // The same spec and seed give bit-identical g and results.
        var again = CliRunner.Run(folder.Path, "run", "--threads", "1", "--force");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal(checkpoint, File.ReadAllBytes(Path.Combine(gDir, "g-best.pt")));
        Assert.Equal(result.ToJsonString(),
            JsonNode.Parse(File.ReadAllText(Path.Combine(evalDir, "result.json")))!["result"]!.ToJsonString());

        // A new meta-test on the cached g loads the checkpoint instead of retraining.
        File.WriteAllText(folder.File("experiments.yaml"), Spec.Edit("horizon: 20", "horizon: 12"));
        var cached = CliRunner.Run(folder.Path, "run", "--threads", "1");
        Assert.True(cached.ExitCode == 0, cached.All);
        Assert.Contains("g: cached result reused", cached.StdOut);
        Assert.Contains("eval: running meta-test", cached.StdOut);
    }

    [Fact]
    public void Compare_reports_tuned_baselines_with_statistics_and_regress_catches_a_broken_g()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Spec);
        var run = CliRunner.Run(folder.Path, "run", "cmp", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("### T = 10", run.StdOut);
        Assert.Contains("| g vs | test loss: g wins |", run.StdOut);

        var cmpDir = Assert.Single(Directory.GetDirectories(folder.File("outputs/cmp")));
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(cmpDir, "result.json")))!["result"]!;
        var comparisons = result["comparisons"]!.AsArray();
        Assert.Equal(8, comparisons.Count); // (2 baselines + g's 2 controls) × 2 horizons
        foreach (var c in comparisons)
        {
            Assert.True(c!["holm_p"]!.GetValue<double>() >= c["wilcoxon_p"]!.GetValue<double>());
            Assert.InRange(c["win_rate"]!.GetValue<double>(), 0, 1);
            // The accuracy difference carries its bootstrap CI, and the mean lies inside it.
            double accuracyDifference = c["accuracy_difference"]!.GetValue<double>();
            Assert.InRange(accuracyDifference, c["accuracy_difference_ci_low"]!.GetValue<double>(), c["accuracy_difference_ci_high"]!.GetValue<double>());
        }
        foreach (var o in result["optimizers"]!.AsArray().Where(o => o!["optimizer"]!.GetValue<string>() is "sgd" or "adam"))
            Assert.Contains(o!["learning_rate"]!.GetValue<double>(), new[] { 0.01, 0.1 });
        Assert.Equal("evaluations", result["budget"]!.GetValue<string>());
        Assert.Equal(8, result["step_matched"]!["comparisons"]!.AsArray().Count);
        Assert.Equal(2 * 2 * 2, result["tuning"]!.AsArray().Count); // baselines × horizons × rates
        var perTask = File.ReadAllLines(Path.Combine(cmpDir, "per-task.csv"));
        Assert.Equal(3 * 4 * 5 * 2 * 2 + 1, perTask.Length); // tasks × inits × (g, 2 controls, 2 baselines) × horizons × (evaluation- and step-matched)
        // The pairs where g is less / more accurate are counted from the same per-task accuracies the CSV holds.
        var header = perTask[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var rows = perTask.Skip(1).Select(l => l.Split(',')).Where(r => r[Col("budget")] == "evaluations").ToList();
        double Accuracy(string optimizer, string horizon, string task, string init) => double.Parse(rows.Single(r =>
            r[Col("optimizer")] == optimizer && r[Col("horizon")] == horizon && r[Col("task")] == task && r[Col("init")] == init)[Col("accuracy")],
            System.Globalization.CultureInfo.InvariantCulture);
        foreach (var c in comparisons)
        {
            string baselineName = c!["baseline"]!.GetValue<string>(), horizon = c["horizon"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var differences = rows.Where(r => r[Col("optimizer")] == "g" && r[Col("horizon")] == horizon)
                .Select(r => Accuracy("g", horizon, r[Col("task")], r[Col("init")]) - Accuracy(baselineName, horizon, r[Col("task")], r[Col("init")])).ToList();
            Assert.Equal(differences.Count(d => d < 0), c["accuracy_lower_pairs"]!.GetValue<int>());
            Assert.Equal(differences.Count(d => d > 0), c["accuracy_higher_pairs"]!.GetValue<int>());
            Assert.InRange(c["accuracy_sign_test_p"]!.GetValue<double>(), 0, 1);
        }
        // Short runs leave g and the baselines apart on some tasks, so the counts above are not all trivially 0.
        Assert.Contains(comparisons, c => c!["accuracy_lower_pairs"]!.GetValue<int>() + c["accuracy_higher_pairs"]!.GetValue<int>() > 0);
        Assert.Contains("tasks g less / more accurate (sign p)", run.StdOut);
        foreach (var artifact in new[] { "comparison.md", "curves.csv", "tuning.csv" })
            Assert.True(File.Exists(Path.Combine(cmpDir, artifact)), artifact);

        // The stored comparison is the baseline: an unchanged g passes.
        var baseline = folder.File("baseline");
        Directory.CreateDirectory(baseline);
        File.Copy(Path.Combine(cmpDir, "per-task.csv"), Path.Combine(baseline, "per-task.csv"));
        var same = CliRunner.Run(folder.Path, "regress", "--baseline", "baseline", "--experiment", "cmp", "--threads", "1");
        Assert.True(same.ExitCode == 0, same.All);
        Assert.Contains("not significantly worse", same.StdOut);
        Assert.Contains("evaluations-matched reading", same.StdOut); // the headline reading, on training and test loss
        Assert.Contains("test loss", same.StdOut);

        // A deliberately broken g (steps 200× too small) is caught.
        File.WriteAllText(folder.File("experiments.yaml"), Spec.Edit("adam-residual, learning_rate: 0.02 }", "adam-residual, learning_rate: 0.0001 }"));
        var broken = CliRunner.Run(folder.Path, "regress", "--baseline", "baseline", "--experiment", "cmp", "--threads", "1");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("WORSE", broken.StdOut);
        Assert.Contains("g is significantly worse", broken.StdOut);
    }

    [Fact]
    public void A_run_writes_plots_and_a_report_with_provenance_and_logs_both_to_mlflow()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Spec.Edit("tracking: { uri: none }", "tracking: { uri: mlruns }"));
        var run = CliRunner.Run(folder.Path, "run", "cmp", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("report: outputs/report.md", run.StdOut);

        var cmpDir = Assert.Single(Directory.GetDirectories(folder.File("outputs/cmp")));
        var expected = new[] { "loss-curves-T5.png", "loss-curves-T10.png", "accuracy-T5.png", "accuracy-T10.png",
            "lr-sensitivity-T5.png", "lr-sensitivity-T10.png", "decision-regions-g.png", "decision-regions-adam.png" };
        foreach (var png in expected) Assert.True(new FileInfo(Path.Combine(cmpDir, png)).Length > 10_000, png);
        Assert.True(File.Exists(Path.Combine(Assert.Single(Directory.GetDirectories(folder.File("outputs/g"))), "meta-training.png")));
        Assert.True(File.Exists(Path.Combine(Assert.Single(Directory.GetDirectories(folder.File("outputs/train-tasks"))), "dataset.png")));
        // Accuracy is taken at 20 evenly spaced steps (plus the horizons), not only at the horizons.
        Assert.Contains("g,10,6,", File.ReadAllText(Path.Combine(cmpDir, "accuracy-curves.csv")));
        // g's curves are drawn at every horizon, not only the longest (its one trace serves them all).
        Assert.Contains("\ng,5,5,", File.ReadAllText(Path.Combine(cmpDir, "accuracy-curves.csv")));
        Assert.Contains("\ng,5,5,", File.ReadAllText(Path.Combine(cmpDir, "curves.csv")));

        var report = File.ReadAllText(folder.File("outputs/report.md"));
        foreach (var section in new[] { "## Provenance", "| commit |", "| TorchSharp | 0.107", "| threads | 1 |", "| device | cpu |",
                     "## Experiments", "## cmp", "| g vs | test loss: g wins |", Path.GetFileName(cmpDir) })
            Assert.Contains(section, report);
        var links = System.Text.RegularExpressions.Regex.Matches(report, @"!\[[^\]]*\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.True(links.Count >= expected.Length + 2, $"{links.Count} images in the report");
        Assert.All(links, link => Assert.True(File.Exists(Path.Combine(folder.File("outputs"), link)), link));

        // MLflow: the parent run holds report.md, the compare run its plots.
        var artifacts = Directory.GetFiles(folder.File("mlruns"), "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains("report.md", artifacts);
        foreach (var png in expected) Assert.Contains(png, artifacts);
    }

    [Fact]
    public void A_comparison_and_a_meta_test_of_a_guarded_g_report_how_often_the_guard_took_Adams_step()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Spec.Edit("adam-residual, learning_rate: 0.02 }", "adam-residual, learning_rate: 0.02, guard: adam-fallback }"));
        var run = CliRunner.Run(folder.Path, "run", "cmp", "eval", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.All);
        var cmpDir = Assert.Single(Directory.GetDirectories(folder.File("outputs/cmp")));
        var optimizers = JsonNode.Parse(File.ReadAllText(Path.Combine(cmpDir, "result.json")))!["result"]!["optimizers"]!.AsArray();
        foreach (var o in optimizers)
        {
            var share = o!["fallback_share"];
            if (o["optimizer"]!.GetValue<string>() is not ("g" or "adam-with-g-guard")) // g and its guard's control have a guard
            {
                Assert.Null(share);
                continue;
            }
            Assert.InRange(share!.GetValue<double>(), 0.0, 1.0);
            Assert.InRange(o["max_fallback_share"]!.GetValue<double>(), share.GetValue<double>(), 1.0);
        }
        Assert.Contains("g's guard took Adam's step instead of g's on", File.ReadAllText(Path.Combine(cmpDir, "comparison.md")));

        var evalDir = Assert.Single(Directory.GetDirectories(folder.File("outputs/eval")));
        var tested = JsonNode.Parse(File.ReadAllText(Path.Combine(evalDir, "result.json")))!["result"]!["optimizers"]!.AsArray();
        Assert.InRange(tested.Single(o => o!["optimizer"]!.GetValue<string>() == "g")!["fallback_share"]!.GetValue<double>(), 0.0, 1.0);
        Assert.Null(tested.Single(o => o!["optimizer"]!.GetValue<string>() == "adam")!["fallback_share"]);
    }

    [Fact]
    public void A_diverging_baseline_is_reported_as_diverged_and_no_average_is_NaN()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), Spec.Edit(
            "baselines: [sgd, adam], learning_rates: [0.01, 0.1]", "baselines: [sgd, adam], learning_rates: [1.0e+6, 1.0e+12]"));
        var run = CliRunner.Run(folder.Path, "run", "cmp", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.All);
        var cmpDir = Assert.Single(Directory.GetDirectories(folder.File("outputs/cmp")));
        var json = File.ReadAllText(Path.Combine(cmpDir, "result.json"));
        var result = JsonNode.Parse(json)!["result"]!;
        var sgd = result["optimizers"]!.AsArray().Where(o => o!["optimizer"]!.GetValue<string>() == "sgd").ToList();
        Assert.All(sgd, o => Assert.Equal(12, o!["diverged"]!.GetValue<int>())); // 3 tasks × 4 inits, every one
        Assert.DoesNotContain("NaN", json);
        var table = File.ReadAllText(Path.Combine(cmpDir, "comparison.md"));
        Assert.DoesNotContain("NaN", table);
        Assert.Contains("| diverged |", table);
        // g against a baseline that diverged everywhere wins every pair.
        Assert.All(result["comparisons"]!.AsArray().Where(c => c!["baseline"]!.GetValue<string>() == "sgd"),
            c => Assert.Equal(1.0, c!["win_rate"]!.GetValue<double>()));
    }
}
