using Harness.Core.Runtime;

namespace Harness.Tests.Unit.Runtime;

public class NativeAllocatorTests
{
    [Fact]
    public void Tuning_is_applied_on_glibc_linux_and_is_idempotent()
    {
        NativeAllocator.Tune();
        NativeAllocator.Tune();
        // This project's machines are Debian (glibc): mallopt must accept all three settings.
        Assert.Equal(OperatingSystem.IsLinux(), NativeAllocator.Tuned);
    }
}
