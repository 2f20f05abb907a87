using Harness.Experiments.Golden;

namespace Harness.Tests.Unit.Golden;

/// <summary>The regression check pairs g's per-task rows of the headline reading, on training loss and on test loss.</summary>
public class RegressionCheckTests
{
    private const string Header = "optimizer,budget,horizon,learning_rate,task,init,steps,forward_passes,backward_passes,final_train_loss,diverged,accuracy,loss\n";

    private static string Csv(Func<int, (double Train, double Test)> g, double stepRowsTrain = 9)
    {
        var rows = new System.Text.StringBuilder(Header);
        for (int task = 0; task < 12; task++)
        {
            var (train, test) = g(task);
            rows.Append(System.FormattableString.Invariant($"g,evaluations,100,,{task},0,40,100,40,{train},false,0.9,{test}\n"));
            rows.Append(System.FormattableString.Invariant($"adam,evaluations,100,0.01,{task},0,100,100,100,{train * 5},false,0.9,{test * 5}\n"));
            rows.Append(System.FormattableString.Invariant($"g,steps,100,,{task},0,100,250,100,{stepRowsTrain},false,0.9,{stepRowsTrain}\n"));
        }
        return rows.ToString();
    }

    [Fact]
    public void A_g_worse_on_test_loss_alone_is_caught_in_the_headline_reading_and_the_step_rows_are_not_mixed_in()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"regress-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string baseline = Path.Combine(folder, "baseline.csv"), current = Path.Combine(folder, "current.csv");
            File.WriteAllText(baseline, Csv(t => (0.01 + t * 1e-4, 0.05 + t * 1e-4)));
            // Same training loss, test loss 40% higher on every task; the step rows differ wildly and must not count.
            File.WriteAllText(current, Csv(t => (0.01 + t * 1e-4, 1.4 * (0.05 + t * 1e-4)), stepRowsTrain: 1e-6));
            Assert.Equal("evaluations", RegressionCheck.HeadlineBudget(current));
            var rows = RegressionCheck.Compare(baseline, current);
            Assert.Equal(["train loss", "test loss"], rows.Select(r => r.Metric));
            Assert.All(rows, r => Assert.Equal((100, 12, "evaluations"), (r.Horizon, r.Pairs, r.Budget)));
            Assert.False(rows[0].Worse);
            Assert.True(rows[1].Worse, $"test loss: Holm p {rows[1].HolmP}, ratio {rows[1].MedianRatio}");
            Assert.Equal(1.4, rows[1].MedianRatio, 9);

            // A per-task.csv without a budget column is step-matched, and shares nothing with an evaluation-matched one.
            File.WriteAllText(baseline, "optimizer,horizon,task,init,final_train_loss,loss\ng,100,0,0,0.1,0.2\n");
            Assert.Equal("steps", RegressionCheck.HeadlineBudget(baseline));
            var error = Assert.Throws<Harness.Core.UserInputException>(() => RegressionCheck.Compare(baseline, current));
            Assert.Contains("in the evaluations reading", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string WithFiles(string baseline, string current, Func<string, string, string> check)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"regress-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string b = Path.Combine(folder, "baseline.csv"), c = Path.Combine(folder, "current.csv");
            File.WriteAllText(b, baseline);
            File.WriteAllText(c, current);
            return check(b, c);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Damage(string baseline) => WithFiles(baseline, Csv(t => (0.01, 0.05)),
        (b, c) => Assert.Throws<Harness.Core.UserInputException>(() => RegressionCheck.Compare(b, c)).Message);

    [Fact]
    public void A_damaged_baseline_is_an_error_naming_its_file_and_line()
    {
        var whole = Csv(t => (0.01, 0.05));
        Assert.Contains("baseline.csv:37: the last row has no line end", Damage(whole[..^9]));
        var lines = whole.Split('\n');
        lines[5] = lines[5][..lines[5].LastIndexOf(',')]; // a field lost
        Assert.Contains("baseline.csv:6: 12 fields where the header has 13", Damage(string.Join('\n', lines)));
        Assert.Contains("baseline.csv:2: final_train_loss is NaN on a row that did not diverge",
            Damage(whole.Replace("g,evaluations,100,,0,0,40,100,40,0.01,", "g,evaluations,100,,0,0,40,100,40,NaN,")));
        Assert.Contains("baseline.csv:2: task 'x' is not a whole number", Damage(whole.Replace("g,evaluations,100,,0,0,", "g,evaluations,100,,x,0,")));
        Assert.Contains("a second row for g at T = 100, task 0", Damage(whole + whole.Split('\n')[1] + "\n"));
    }

    [Fact]
    public void A_partial_baseline_is_an_error_not_a_pass_on_what_is_left()
    {
        var whole = Csv(t => (0.01, 0.05));
        var withoutTask3 = string.Join('\n', whole.Split('\n').Where(l => !l.StartsWith("g,evaluations,100,,3,", StringComparison.Ordinal)));
        Assert.Contains("partial: it lacks 1 of the current comparison's (task, init) pairs of 'g' at T = 100", Damage(withoutTask3));
        var current = Csv(t => (0.01, 0.05)) + "g,evaluations,300,,0,0,40,300,40,0.01,false,0.9,0.05\n";
        var message = WithFiles(whole, current, (b, c) => Assert.Throws<Harness.Core.UserInputException>(() => RegressionCheck.Compare(b, c)).Message);
        Assert.Contains("at T = 300", message);
    }

    [Fact]
    public void Diverged_pairs_are_counted_beside_the_pairs_the_means_use()
    {
        var current = Csv(t => (t < 2 ? double.NaN : 0.01, 0.05)).Replace("NaN,false", "NaN,true");
        var train = WithFiles(Csv(t => (0.01, 0.05)), current, (b, c) =>
        {
            var row = RegressionCheck.Compare(b, c).Single(r => r.Metric == "train loss");
            return $"{row.Pairs} {row.NonFinite} {row.Worse}";
        });
        Assert.Equal("10 2 True", train); // g diverged where the baseline did not: worse, whatever the rest says
    }
}
