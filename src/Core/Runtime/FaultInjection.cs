namespace Harness.Core.Runtime;

/// <summary>
/// Deliberate faults, for testing what a failure leaves behind (tests/Integration/BadInputs). Off unless the
/// environment variable HARNESS_FAULT names one: `disk-full` makes every atomic file write fail as a full disk does.
/// </summary>
public static class FaultInjection
{
    private const int NoSpaceLeftOnDevice = 28; // ENOSPC

    public static string? Active { get; } = Environment.GetEnvironmentVariable("HARNESS_FAULT");

    public static void BeforeWrite(string path)
    {
        if (Active == "disk-full")
            throw new IOException($"No space left on device : '{path}' (injected by HARNESS_FAULT=disk-full)", NoSpaceLeftOnDevice);
    }
}
