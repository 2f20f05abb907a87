namespace Harness.Core.Evaluation;

/// <summary>The binary classification metrics of one model on one test set.</summary>
public sealed record ClassificationReport(
    double Accuracy,
    double Loss,
    double Precision,
    double Recall,
    double F1,
    double RocAuc,
    double PrAuc,
    int TruePositives,
    int FalsePositives,
    int TrueNegatives,
    int FalseNegatives)
{
    /// <summary>The metric a suite names (<see cref="MetricSuite.MetricsOf"/>): the one mapping from a name to its value.</summary>
    public double Value(string metric) => metric switch
    {
        "accuracy" => Accuracy,
        "loss" => Loss,
        "precision" => Precision,
        "recall" => Recall,
        "f1" => F1,
        "roc_auc" => RocAuc,
        "pr_auc" => PrAuc,
        _ => throw new ArgumentException($"unknown metric '{metric}'", nameof(metric)),
    };
}

/// <summary>
/// Named metric suites declared in specs. `classification`: accuracy, mean binary cross-entropy, precision, recall,
/// F1, ROC-AUC (rank-based, ties by average rank), PR-AUC (average precision) and the confusion matrix, from logits.
/// `study`: accuracy and loss only (the study's two numbers).
/// </summary>
public static class MetricSuite
{
    public static readonly IReadOnlyList<string> Names = ["classification", "study"];

    public static IReadOnlyList<string> MetricsOf(string suite) => suite switch
    {
        "classification" => ["accuracy", "loss", "precision", "recall", "f1", "roc_auc", "pr_auc"],
        "study" => ["accuracy", "loss"],
        _ => throw new UserInputException($"unknown metric suite '{suite}': use one of {string.Join(", ", Names)}"),
    };

    public static ClassificationReport Evaluate(IReadOnlyList<float> logits, IReadOnlyList<float> labels)
    {
        ClassificationMetrics.CheckInputs(logits, labels);
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < logits.Count; i++)
        {
            bool predicted = logits[i] > 0, actual = labels[i] == 1f;
            if (predicted && actual) tp++;
            else if (predicted) fp++;
            else if (actual) fn++;
            else tn++;
        }
        double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassificationReport(
            (double)(tp + tn) / logits.Count, ClassificationMetrics.BinaryCrossEntropy(logits, labels),
            precision, recall, f1, RocAuc(logits, labels), AveragePrecision(logits, labels), tp, fp, tn, fn);
    }

    /// <summary>Mann-Whitney form of ROC-AUC: (rank sum of positives − n⁺(n⁺+1)/2) / (n⁺ n⁻), ties by average rank.</summary>
    public static double RocAuc(IReadOnlyList<float> scores, IReadOnlyList<float> labels)
    {
        ClassificationMetrics.CheckInputs(scores, labels);
        int positives = labels.Count(l => l == 1f), negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException("ROC-AUC needs both classes in the labels (one class only was given)");
        var ranks = AverageRanks(scores);
        double positiveRankSum = 0;
        for (int i = 0; i < scores.Count; i++) if (labels[i] == 1f) positiveRankSum += ranks[i];
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Average precision: Σ (R_k − R_{k−1}) P_k over distinct score thresholds, highest first (tied scores form one threshold).</summary>
    public static double AveragePrecision(IReadOnlyList<float> scores, IReadOnlyList<float> labels)
    {
        ClassificationMetrics.CheckInputs(scores, labels);
        int positives = labels.Count(l => l == 1f);
        if (positives == 0) throw new ArgumentException("average precision needs at least one positive label");
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        double ap = 0, previousRecall = 0;
        int tp = 0, seen = 0;
        for (int k = 0; k < order.Length; k++)
        {
            seen++;
            if (labels[order[k]] == 1f) tp++;
            bool lastOfThreshold = k == order.Length - 1 || scores[order[k + 1]] != scores[order[k]];
            if (!lastOfThreshold) continue;
            double recall = (double)tp / positives, precision = (double)tp / seen;
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return ap;
    }

    /// <summary>1-based ranks with ties given their average rank.</summary>
    public static double[] AverageRanks(IReadOnlyList<float> values) =>
        AverageRanks(values.Select(v => (double)v).ToArray());

    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        int start = 0;
        while (start < order.Length)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
    }
}
