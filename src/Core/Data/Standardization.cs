namespace Harness.Core.Data;

/// <summary>How a subset's inputs are scaled: z-scores fitted on its train part, or none (the study's raw inputs).</summary>
public enum Standardization
{
    None,
    Zscore,
}
