using Harness.Core.Reporting;
using Harness.Core.Learned;
using Harness.Core.Models;

namespace Harness.Tests.Unit.Reporting;

[Collection("torch")]
public class ShapeReportTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(4, 2)]
    [InlineData(10, 7)]
    public void An_elman_network_with_hidden_sizes_3_and_2_has_3nx_plus_3ny_plus_24_weights(int nx, int ny) =>
        Assert.Equal(3 * nx + 3 * ny + 24, ShapeReport.Total(ShapeReport.Elman(nx, [3, 2], ny)));

    [Fact]
    public void F_counts_and_shapes_follow_the_layers_with_the_batch_dimension()
    {
        var rows = ShapeReport.Mlp(MlpArchitecture.Study, "1600");
        Assert.Equal(8705, ShapeReport.Total(rows));
        Assert.Equal(["[1600, 2]", "[1600, 128]", "[1600, 128]", "[1600, 64]", "[1600, 64]", "[1600, 1]"], rows.Select(r => r.OutputShape));
    }

    [Theory]
    [InlineData(1, 128, OutputMode.Scaled)]
    [InlineData(2, 20, OutputMode.AdamResidual)]
    public void G_counts_match_the_real_network(int layers, int hidden, OutputMode output)
    {
        var settings = new LearnedOptimizerSettings(Layers: layers, Hidden: hidden, Output: output,
            Inputs: [InputFeature.LogSignGradient, InputFeature.Momenta]);
        using var network = new GruOptimizerNetwork(settings, 1);
        Assert.Equal(network.ParameterCount, ShapeReport.Total(ShapeReport.LearnedOptimizer(settings)));
        Assert.Equal($"[{settings.InputSize}, P]", ShapeReport.LearnedOptimizer(settings)[0].OutputShape);
    }
}
