namespace Harness.Experiments.Cli;

/// <summary>
/// The `harness` script builds in the repository, so it changes folder; it passes the folder the user called it from in
/// HARNESS_CALLER_DIR. Every relative path (arguments, the default experiments.yaml, outputs/, mlruns) then means what
/// it means in the user's shell.
/// </summary>
public static class CallerFolder
{
    public const string Variable = "HARNESS_CALLER_DIR";

    public static void Enter()
    {
        var caller = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(caller) && Directory.Exists(caller)) Directory.SetCurrentDirectory(caller);
        Environment.SetEnvironmentVariable(Variable, null); // children (bench's probes) start where this process is
    }
}
