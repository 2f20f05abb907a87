using System.Runtime.CompilerServices;
using Harness.Core.Runtime;

namespace Harness.Tests.Support;

/// <summary>
/// Every test assembly runs under portable numerics, as `harness run` does by default: the pins must be in the
/// environment before libtorch loads, so they are applied when the test assembly loads, before any test runs.
/// </summary>
internal static class PortableNumericsForTests
{
#pragma warning disable CA2255 // a module initializer is the only hook that runs before the first test touches libtorch
    [ModuleInitializer]
    internal static void Apply() => Numerics.Apply(NumericsMode.Portable);
#pragma warning restore CA2255
}
