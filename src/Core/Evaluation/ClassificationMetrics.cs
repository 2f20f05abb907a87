namespace Harness.Core.Evaluation;

/// <summary>Accuracy and mean binary cross-entropy of logits against 0/1 labels (the study's two numbers).</summary>
public static class ClassificationMetrics
{
    public static double Accuracy(IReadOnlyList<float> logits, IReadOnlyList<float> labels)
    {
        CheckInputs(logits, labels);
        int correct = 0;
        for (int i = 0; i < logits.Count; i++)
            if ((logits[i] > 0 ? 1f : 0f) == labels[i]) correct++;
        return (double)correct / logits.Count;
    }

    /// <summary>Mean BCE on logits, computed stably: max(z, 0) − z·y + log(1 + e^−|z|).</summary>
    public static double BinaryCrossEntropy(IReadOnlyList<float> logits, IReadOnlyList<float> labels)
    {
        CheckInputs(logits, labels);
        double sum = 0;
        for (int i = 0; i < logits.Count; i++)
        {
            double z = logits[i];
            sum += Math.Max(z, 0) - z * labels[i] + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        }
        return sum / logits.Count;
    }

    internal static void CheckInputs(IReadOnlyList<float> scores, IReadOnlyList<float> labels)
    {
        if (scores.Count != labels.Count)
            throw new ArgumentException($"{scores.Count} scores for {labels.Count} labels");
        if (scores.Count == 0) throw new ArgumentException("no scores to evaluate");
        for (int i = 0; i < scores.Count; i++)
        {
            if (float.IsNaN(scores[i]))
                throw new ArgumentException($"score {i} is NaN: the model diverged; report it as diverged instead of scoring it");
            if (labels[i] is not (0f or 1f)) throw new ArgumentException($"label {i} is {labels[i]}, expected 0 or 1");
        }
    }
}
