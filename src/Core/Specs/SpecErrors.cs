using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Harness.Core.Specs;

/// <summary>Collects spec errors with their locations while a file is read.</summary>
public sealed class SpecErrors
{
    private readonly List<SpecError> _errors = [];
    private readonly Dictionary<YamlNode, YamlNode> _origins = new(ReferenceEqualityComparer.Instance);

    public SpecErrors(string file) => File = file;

    public string File { get; }
    public IReadOnlyList<SpecError> All => _errors;
    public int Count => _errors.Count;

    /// <summary>Where to point when a node has no position of its own (nodes built by merging).</summary>
    public YamlNode? Fallback { get; set; }

    /// <summary>Errors on a node built from the file (an expanded matrix member's id, say) point at this one of the file.</summary>
    public void Locate(YamlNode built, YamlNode origin)
    {
        if (!ReferenceEquals(built, origin)) _origins[built] = origin;
    }

    public void Add(YamlNode? node, string keyPath, string message)
    {
        var at = PositionOf(node);
        if (at.Line == 0 || at.Equals(Mark.Empty)) at = PositionOf(Fallback); // a node built in memory has no place of its own
        Add(at, keyPath, message);
    }

    /// <summary>Where a node is in the file, through the node it was built from when it has no position of its own.</summary>
    public Mark PositionOf(YamlNode? node)
    {
        while (node is not null && _origins.TryGetValue(node, out var origin)) node = origin;
        return node?.Start ?? Mark.Empty;
    }

    public void Add(Mark at, string keyPath, string message) =>
        _errors.Add(new SpecError(File, (int)Math.Max(1, at.Line), (int)Math.Max(1, at.Column), keyPath, message));

    public void ThrowIfAny()
    {
        // One item expanded into several experiments can report the same problem at the same place once per member.
        if (_errors.Count > 0) throw new SpecException(_errors.Distinct().OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
    }
}
