using Harness.Core.Runtime;
using Harness.Experiments.Cli;
using Harness.Experiments.Golden;
using Harness.Experiments.Runner;

namespace Harness.Tests.Golden;

/// <summary>One golden run of every experiment in the repository's experiments.yaml, shared by a test class.</summary>
public sealed class GoldenFixture : IDisposable
{
    public GoldenFixture()
    {
        Outputs = Path.Combine(Path.GetTempPath(), $"harness-golden-{Guid.NewGuid():N}");
        Results = Run(Outputs);
    }

    public string Outputs { get; }
    public IReadOnlyDictionary<string, (ExperimentRecord Record, string Directory)> Results { get; }

    public static IReadOnlyDictionary<string, (ExperimentRecord Record, string Directory)> Run(string outputs) =>
        GoldenSnapshots.Run(RunCommands.LoadFile(RepositoryPaths.ExperimentsFile), outputs, [], SilentProgress.Instance)
            .ToDictionary(r => r.Record.Id);

    public void Dispose()
    {
        if (Directory.Exists(Outputs)) Directory.Delete(Outputs, recursive: true);
    }
}
