namespace Harness.Tests.Golden;

/// <summary>Golden runs use TorchSharp's global generator and thread pool: never in parallel.</summary>
[CollectionDefinition("torch", DisableParallelization = true)]
public sealed class TorchCollection;
