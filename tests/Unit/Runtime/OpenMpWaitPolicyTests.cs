using Harness.Core.Runtime;

namespace Harness.Tests.Unit.Runtime;

public class OpenMpWaitPolicyTests
{
    [Fact]
    public void Passive_waiting_reaches_native_code_unless_the_user_chose_a_policy()
    {
        var chosen = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        OpenMpWaitPolicy.MakePassive();
        OpenMpWaitPolicy.MakePassive();
        // libgomp reads the native environment, which .NET's own copy does not update: check what native code sees.
        Assert.Equal(chosen ?? "PASSIVE", OpenMpWaitPolicy.NativeValue);
        Assert.Equal(chosen ?? "PASSIVE", OpenMpWaitPolicy.Current);
    }
}
