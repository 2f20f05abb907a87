using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Harness.Core.Specs;

/// <summary>Collects spec errors with their locations while a file is read.</summary>
public sealed class SpecErrors
{
    private readonly List<SpecError> _errors = [];

    public SpecErrors(string file) => File = file;

    public string File { get; }
    public IReadOnlyList<SpecError> All => _errors;
    public int Count => _errors.Count;

    /// <summary>Where to point when a node has no position of its own (nodes built by merging).</summary>
    public YamlNode? Fallback { get; set; }

    public void Add(YamlNode? node, string keyPath, string message)
    {
        var at = node?.Start ?? Mark.Empty;
        if (at.Line == 0 && Fallback is not null) at = Fallback.Start;
        Add(at, keyPath, message);
    }

    public void Add(Mark at, string keyPath, string message) =>
        _errors.Add(new SpecError(File, (int)Math.Max(1, at.Line), (int)Math.Max(1, at.Column), keyPath, message));

    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new SpecException(_errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
    }
}
