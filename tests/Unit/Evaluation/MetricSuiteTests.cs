using Harness.Core.Evaluation;

namespace Harness.Tests.Unit.Evaluation;

public class MetricSuiteTests
{
    [Fact]
    public void Confusion_precision_recall_f1_and_accuracy_match_hand_counts()
    {
        // predicted 1,0,1,0,1 against 1,1,0,0,1: TP 2, FN 1, FP 1, TN 1.
        var r = MetricSuite.Evaluate([2f, -1f, 3f, -2f, 0.5f], [1f, 1f, 0f, 0f, 1f]);
        Assert.Equal((2, 1, 1, 1), (r.TruePositives, r.FalsePositives, r.TrueNegatives, r.FalseNegatives));
        Assert.Equal(0.6, r.Accuracy, 12);
        Assert.Equal(2.0 / 3, r.Precision, 12);
        Assert.Equal(2.0 / 3, r.Recall, 12);
        Assert.Equal(2.0 / 3, r.F1, 12);
    }

    [Fact]
    public void Loss_is_the_mean_binary_cross_entropy_of_logits()
    {
        Assert.Equal(Math.Log(2), ClassificationMetrics.BinaryCrossEntropy([0f], [1f]), 12);
        double expected = (Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.Exp(-1))) / 2; // y=1 z=2, y=0 z=-1
        Assert.Equal(expected, ClassificationMetrics.BinaryCrossEntropy([2f, -1f], [1f, 0f]), 12);
        Assert.Equal(100, ClassificationMetrics.BinaryCrossEntropy([-100f], [1f]), 9); // stable for large logits
    }

    [Fact]
    public void Roc_auc_and_average_precision_match_the_textbook_example()
    {
        // The scikit-learn documentation example: AUC 0.75, average precision 0.8333.
        float[] scores = [0.1f, 0.4f, 0.35f, 0.8f];
        float[] labels = [0, 0, 1, 1];
        Assert.Equal(0.75, MetricSuite.RocAuc(scores, labels), 12);
        Assert.Equal(5.0 / 6, MetricSuite.AveragePrecision(scores, labels), 12);
    }

    [Fact]
    public void Ties_get_average_ranks_all_equal_scores_give_chance()
    {
        Assert.Equal(0.5, MetricSuite.RocAuc([1f, 1f, 1f, 1f], [0, 1, 0, 1]), 12);
        Assert.Equal(0.5, MetricSuite.AveragePrecision([1f, 1f, 1f, 1f], [0, 1, 0, 1]), 12);
        Assert.Equal([1.5, 1.5, 3.0], MetricSuite.AverageRanks([2f, 2f, 5f]));
        Assert.Equal(0.875, MetricSuite.RocAuc([0.1f, 0.5f, 0.5f, 0.9f], [0, 0, 1, 1]), 12);
    }

    [Fact]
    public void One_class_only_and_NaN_scores_are_clear_errors()
    {
        var oneClass = Assert.Throws<ArgumentException>(() => MetricSuite.RocAuc([0.1f, 0.2f], [1f, 1f]));
        Assert.Contains("both classes", oneClass.Message);
        var nan = Assert.Throws<ArgumentException>(() => MetricSuite.Evaluate([float.NaN, 1f], [0f, 1f]));
        Assert.Contains("NaN", nan.Message);
        Assert.Throws<ArgumentException>(() => MetricSuite.AveragePrecision([0.3f], [0f]));
        Assert.Throws<Harness.Core.UserInputException>(() => MetricSuite.MetricsOf("regression"));
    }
}
