namespace Harness.Experiments.Cli;

/// <summary>The CLI's exit codes: 0 success, 1 an experiment failed, 2 a usage or input mistake.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int UserError = 2;
}
