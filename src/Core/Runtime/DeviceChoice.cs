using TorchSharp;

namespace Harness.Core.Runtime;

/// <summary>The compute device a run asks for: cpu, cuda, or auto (cuda when available, else cpu).</summary>
public enum DeviceChoice
{
    Cpu,
    Cuda,
    Auto,
}

public static class DeviceSelector
{
    public static DeviceChoice Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "cpu" => DeviceChoice.Cpu,
        "cuda" => DeviceChoice.Cuda,
        "auto" => DeviceChoice.Auto,
        _ => throw new UserInputException($"unknown device '{text}': use cpu, cuda or auto"),
    };

    /// <summary>Resolves the choice to a torch device; asking for cuda where there is none is a clear error.</summary>
    public static torch.Device Resolve(DeviceChoice choice)
    {
        bool cuda = torch.cuda.is_available();
        return choice switch
        {
            DeviceChoice.Cpu => torch.CPU,
            DeviceChoice.Auto => cuda ? torch.CUDA : torch.CPU,
            DeviceChoice.Cuda when cuda => torch.CUDA,
            _ => throw new UserInputException(
                "--device cuda was asked for, but CUDA is not available: this build uses the CPU libtorch " +
                "(build with HARNESS_TORCH_BACKEND=cuda on a machine with an NVIDIA GPU) or no GPU was found. " +
                "Use --device cpu or --device auto."),
        };
    }

    /// <summary>The device class used for golden snapshots and provenance: cpu or cuda.</summary>
    public static string ClassOf(torch.Device device) => device.type == DeviceType.CUDA ? "cuda" : "cpu";
}
