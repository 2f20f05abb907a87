using Harness.Core.Specs;
using Harness.Experiments.Runner;

namespace Harness.Tests.Unit.Specs;

/// <summary>A small valid experiments file and helpers to load variants of it.</summary>
public static class SpecFixtures
{
    public static ExperimentsFile Parse(string text, string file = "experiments.yaml") =>
        new ExperimentsFileLoader(KindCatalog.All).Parse(text, file, new DatasetMaterializer(Path.Combine(Path.GetTempPath(), file)));

    public static SpecException Errors(string text) => Assert.Throws<SpecException>(() => Parse(text));
}
