using Harness.Core.Runtime;

namespace Harness.Tests.Unit.Runtime;

/// <summary>The numerics mode: pins that reach native code, fixed once per process.</summary>
public class NumericsTests
{
    [Fact]
    public void Portable_numerics_reach_native_code_with_every_pin()
    {
        // The test assembly applied portable numerics when it loaded (PortableNumericsForTests), as the CLI does.
        Numerics.Apply(NumericsMode.Portable);
        Assert.Equal(NumericsMode.Portable, Numerics.Mode);
        Assert.Equal(Numerics.PortablePins, Numerics.NativeSettings);
        Assert.Contains(("MKL_CBWR", "AVX2,STRICT"), Numerics.NativeSettings);
        Assert.Contains(("ATEN_CPU_CAPABILITY", "avx2"), Numerics.NativeSettings);
    }

    [Fact]
    public void The_mode_cannot_change_once_libtorch_may_have_read_it()
    {
        Numerics.Apply(NumericsMode.Portable);
        var e = Assert.Throws<InvalidOperationException>(() => Numerics.Apply(NumericsMode.Fast));
        Assert.Contains("already portable", e.Message);
        Assert.Equal(NumericsMode.Portable, Numerics.Mode);
    }

    [Theory]
    [InlineData("portable", NumericsMode.Portable)]
    [InlineData("fast", NumericsMode.Fast)]
    [InlineData("Portable", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Modes_are_named_in_lower_case(string? name, NumericsMode? mode)
    {
        Assert.Equal(mode, NumericsModes.TryParse(name));
        if (mode is { } m) Assert.Equal(name, m.Name());
    }

    [Fact]
    public void Native_environment_writes_reach_native_code_and_respect_a_value_the_user_set()
    {
        var name = $"HARNESS_TEST_{Guid.NewGuid():N}";
        Assert.Null(NativeEnvironment.Get(name));
        Assert.True(NativeEnvironment.Set(name, "first", overwrite: false));
        Assert.True(NativeEnvironment.Set(name, "second", overwrite: false));
        Assert.Equal("first", NativeEnvironment.Get(name));
        Assert.True(NativeEnvironment.Set(name, "third", overwrite: true));
        Assert.Equal("third", NativeEnvironment.Get(name));
        Assert.Equal("third", Environment.GetEnvironmentVariable(name));
    }
}

public class NumericsPriceTests
{
    [Fact]
    public void Each_child_bench_gets_the_users_options_without_the_ones_the_wrapper_sets()
    {
        var child = Harness.Experiments.Cli.NumericsPrice.ChildArguments(
            ["bench", "--tasks", "5", "--both-numerics", "--numerics", "fast", "--threads", "1", "2", "--summary-json=x.json", "--numerics=portable", "--skip-epoch"]);
        Assert.Equal(["bench", "--tasks", "5", "--threads", "1", "2", "--skip-epoch"], child);
    }
}
