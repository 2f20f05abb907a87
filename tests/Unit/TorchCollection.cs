namespace Harness.Tests.Unit;

/// <summary>Tests that touch TorchSharp share its global generator and thread pool: never run them in parallel.</summary>
[CollectionDefinition("torch", DisableParallelization = true)]
public sealed class TorchCollection;
