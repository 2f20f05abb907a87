using static TorchSharp.torch;

namespace Harness.Tests.Integration;

[Collection("torch")]
public class TorchSmokeTests
{
    [Fact]
    public void Libtorch_loads_and_computes_a_matrix_product_and_its_gradient()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2], requires_grad: true);
        var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        var c = matmul(a, b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
        c.sum().backward();
        Assert.Equal(new float[] { 11, 15, 11, 15 }, a.grad!.data<float>().ToArray());
    }
}
