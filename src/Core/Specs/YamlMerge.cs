using YamlDotNet.RepresentationModel;

namespace Harness.Core.Specs;

/// <summary>
/// The one merge of spec files: mappings merge key by key (recursively), anything else (a scalar, a list) replaces.
/// `golden:` over `settings:`, an item over its `extends:` base and a `matrix:` value over settings all use it.
/// </summary>
public static class YamlMerge
{
    public static YamlNode Deep(YamlNode? baseNode, YamlNode? overrides)
    {
        if (overrides is null) return baseNode ?? new YamlMappingNode();
        if (overrides is not YamlMappingNode over || baseNode is not YamlMappingNode baseMap) return overrides;
        var merged = new YamlMappingNode();
        foreach (var (k, v) in baseMap.Children) merged.Children[k] = v;
        foreach (var (k, v) in over.Children)
        {
            var existing = baseMap.Children.FirstOrDefault(c => c.Key.Equals(k)).Value;
            merged.Children[k] = existing is null ? v : Deep(existing, v);
        }
        return merged;
    }

    /// <summary>A mapping that sets one dotted key path (`optimizer.hidden`) to a value, for merging over settings.</summary>
    public static YamlMappingNode At(string dottedPath, YamlNode value)
    {
        var parts = dottedPath.Split('.');
        YamlNode node = value;
        for (int i = parts.Length - 1; i >= 0; i--)
            node = new YamlMappingNode { { new YamlScalarNode(parts[i]), node } };
        return (YamlMappingNode)node;
    }
}
