using TorchSharp;

namespace Harness.Core.Runtime;

/// <summary>
/// Scalars that live for the whole process. TorchSharp turns a number argument (and the implicit alpha of add or sub)
/// into a temporary Scalar object and passes only its native handle on; the GC may finalize that object while the
/// native call still reads it. Seen here once, under load: "Expected false to be true … toFloat at Scalar.h" from
/// f's bmm(…).add(bias). Long-running calls in the hot paths pass these instead.
/// </summary>
public static class Scalars
{
    public static readonly Scalar One = 1;
}
