namespace Harness.Experiments.Runner;

/// <summary>Every experiment kind in this assembly, found by reflection (adding a kind needs no registration).</summary>
public static class KindCatalog
{
    private static readonly Lazy<IReadOnlyList<IExperimentKind>> Kinds = new(() =>
        typeof(KindCatalog).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(IExperimentKind).IsAssignableFrom(t))
            .Select(t => (IExperimentKind)Activator.CreateInstance(t)!)
            .OrderBy(k => k.Name, StringComparer.Ordinal)
            .ToList());

    public static IReadOnlyList<IExperimentKind> All => Kinds.Value;

    public static IExperimentKind Get(string name) => All.Single(k => k.Name == name);
}
