using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Harness.Core.Specs;

/// <summary>
/// Turns the declared experiment items into concrete ones before they are bound, so every later check sees plain
/// experiments:
/// - `extends: BASE` is BASE's item (kind, seed, seed_stream, inputs, settings, golden) with the item's own keys over it:
///   `settings` and `golden` merge key by key, every other key replaces. `matrix` and `ids` are not inherited.
/// - `matrix:` expands an item into one experiment per combination: a mapping of keys to value lists (their product,
///   the last key varying fastest) or a list of mappings (the combinations as written). A key is `seed`,
///   `seed_stream` or a setting (`horizon`, `optimizer.hidden`).
/// - An item whose inputs name a matrix item follows it: one experiment per member, the k-th taking the k-th member
///   (several followed matrices, and the item's own matrix, must have as many members; they are zipped).
/// - Members are named by `ids:` (a list, or a pattern with {id}, {n} and {KEY}), by default `ID@key=value,…`. The
///   item's own id then names the whole matrix: in another item's inputs, and on the command line.
/// </summary>
public sealed class ExperimentTemplates
{
    public const string ExtendsKey = "extends";
    public const string MatrixKey = "matrix";
    public const string IdsKey = "ids";
    private static readonly string[] NotInherited = ["id", ExtendsKey, MatrixKey, IdsKey];
    private static readonly string[] ExperimentLevelKeys = ["seed", "seed_stream"];
    private static readonly Regex DerivedIdSyntax = new("^[A-Za-z0-9][A-Za-z0-9_.@=,+-]{0,127}$");
    private static readonly Regex Placeholder = new(@"\{([A-Za-z0-9_.]+)\}");

    private readonly IReadOnlyDictionary<string, IExperimentKindDescriptor> _kinds;
    private readonly SpecErrors _errors;
    private readonly Dictionary<string, YamlMappingNode> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YamlMappingNode> _resolved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Member>?> _members = new(StringComparer.Ordinal);
    private readonly List<string> _trail = [];

    private sealed record Member(string Id, YamlMappingNode Item, IReadOnlyList<(string Key, string Text)> Values);

    /// <summary>A matrix item: its id, the node that declares it, and its members' ids.</summary>
    public sealed record MatrixItem(string Id, YamlNode IdNode, IReadOnlyList<string> Members);

    /// <summary>The concrete items in file order, and the matrix items.</summary>
    public sealed record Expansion(IReadOnlyList<YamlMappingNode> Items, IReadOnlyList<MatrixItem> Matrices);

    private ExperimentTemplates(IReadOnlyDictionary<string, IExperimentKindDescriptor> kinds, SpecErrors errors)
    {
        _kinds = kinds;
        _errors = errors;
    }

    public static Expansion Expand(IEnumerable<YamlMappingNode> items, IReadOnlyDictionary<string, IExperimentKindDescriptor> kinds,
        SpecErrors errors)
    {
        var templates = new ExperimentTemplates(kinds, errors);
        var list = items.ToList();
        foreach (var item in list)
            if (IdOf(item) is { } id) templates._declared.TryAdd(id, item);
        var concrete = new List<YamlMappingNode>();
        var matrices = new List<MatrixItem>();
        foreach (var item in list)
        {
            var id = IdOf(item);
            if (id is null || !ReferenceEquals(templates._declared[id], item)) { concrete.Add(item); continue; }
            var members = templates.MembersOf(id);
            if (members is null) { concrete.Add(templates.Plain(id)); continue; }
            concrete.AddRange(members.Select(m => m.Item));
            matrices.Add(new MatrixItem(id, Get(item, "id")!, members.Select(m => m.Id).ToList()));
        }
        return new Expansion(concrete, matrices);
    }

    /// <summary>The item with its base merged in (memoised; a cycle or unknown base is reported once).</summary>
    private YamlMappingNode Resolved(string id)
    {
        if (_resolved.TryGetValue(id, out var done)) return done;
        var item = _declared[id];
        var extendsNode = Get(item, ExtendsKey);
        if (extendsNode is null) return _resolved[id] = item;
        var path = $"experiments.{id}.{ExtendsKey}";
        if (_trail.Contains(id))
        {
            var cycle = _trail.SkipWhile(t => t != id).Append(id);
            _errors.Add(extendsNode, path, $"extends cycle: {string.Join(" -> ", cycle)}; an experiment cannot extend itself, directly or through others");
            return item;
        }
        var baseId = (extendsNode as YamlScalarNode)?.Value;
        YamlMappingNode result = item;
        if (string.IsNullOrEmpty(baseId))
            _errors.Add(extendsNode, path, "expected the id of another experiment of this file, whose item this one starts from");
        else if (!_declared.ContainsKey(baseId))
            _errors.Add(extendsNode, path, $"unknown base '{baseId}': extends names an experiment declared in this file; " +
                                           $"declared: {string.Join(", ", _declared.Keys)}");
        else
        {
            _trail.Add(id);
            result = Merge(Resolved(baseId), item);
            _trail.RemoveAt(_trail.Count - 1);
        }
        return _resolved[id] = result;
    }

    private YamlMappingNode Merge(YamlMappingNode baseItem, YamlMappingNode item)
    {
        var merged = new YamlMappingNode();
        foreach (var (k, v) in baseItem.Children)
            if (!NotInherited.Contains(KeyText(k))) merged.Children[k] = v;
        foreach (var (k, v) in item.Children)
        {
            var key = KeyText(k);
            if (key == ExtendsKey) continue;
            var inherited = merged.Children.FirstOrDefault(c => KeyText(c.Key) == key);
            if (inherited.Key is not null) merged.Children.Remove(inherited.Key);
            var value = key is "settings" or "golden" && inherited.Value is not null ? YamlMerge.Deep(inherited.Value, v) : v;
            _errors.Locate(value, v);
            merged.Children[k] = value;
        }
        _errors.Locate(merged, item);
        return merged;
    }

    /// <summary>The item without the template keys (it is neither a matrix nor a follower).</summary>
    private YamlMappingNode Plain(string id)
    {
        var item = Resolved(id);
        if (Get(item, IdsKey) is { } ids)
            _errors.Add(ids, $"experiments.{id}.{IdsKey}", "ids name the members of a matrix: give 'matrix:' or an input that is a matrix item");
        var plain = Without(item, ExtendsKey, MatrixKey, IdsKey);
        _errors.Locate(plain, item);
        return plain;
    }

    /// <summary>The members of a matrix item or of an item that follows one; null for a plain item.</summary>
    private List<Member>? MembersOf(string id)
    {
        if (_members.TryGetValue(id, out var known)) return known;
        _members[id] = null; // an input cycle makes the item plain here; the loader reports the cycle
        var item = Resolved(id);
        var path = $"experiments.{id}";
        var combinations = Combinations(item, id);
        var inputs = InputsOf(item);
        var followed = inputs
            .Select(input => (input.Id, input.Node,
                Members: _declared.ContainsKey(input.Id) && input.Id != id ? MembersOf(input.Id) : null))
            .Where(f => f.Members is not null).ToList();
        if (combinations is null && followed.Count == 0) return null;

        // Zipped: every followed matrix and the item's own combinations need as many members.
        var counts = followed.Select(f => f.Members!.Count).Concat(combinations is null ? [] : [combinations.Count]).ToList();
        int count = counts.Min();
        if (counts.Distinct().Count() > 1)
            _errors.Add(Get(item, MatrixKey) ?? followed[0].Node, path,
                "an item that follows a matrix is zipped with it, so every matrix it follows and its own matrix need as many members; " +
                $"here: {string.Join(", ", followed.Select(f => $"'{f.Id}' has {f.Members!.Count}").Concat(combinations is null ? [] : [$"its own matrix has {combinations.Count}"]))}");

        var values = Enumerable.Range(0, count)
            .Select(k => ValuesOf(followed.Select(f => f.Members![k].Values), combinations?[k])).ToList();
        var names = MemberIds(item, id, values);
        var members = new List<Member>();
        var idNode = Get(item, "id")!;
        for (int k = 0; k < Math.Min(count, names.Count); k++)
        {
            var member = Without(item, ExtendsKey, MatrixKey, IdsKey);
            var memberId = new YamlScalarNode(names[k]);
            _errors.Locate(memberId, idNode);
            member.Children[new YamlScalarNode("id")] = memberId;
            if (followed.Count > 0)
            {
                var memberInputs = new YamlSequenceNode();
                foreach (var (inputId, inputNode) in inputs)
                {
                    var f = followed.FirstOrDefault(x => x.Id == inputId);
                    var reference = new YamlScalarNode(f.Members is not null ? f.Members[k].Id : inputId);
                    _errors.Locate(reference, inputNode);
                    memberInputs.Add(reference);
                }
                _errors.Locate(memberInputs, Get(item, "inputs")!);
                Replace(member, "inputs", memberInputs);
            }
            if (combinations is not null)
            {
                foreach (var (key, value) in combinations[k])
                {
                    if (ExperimentLevelKeys.Contains(key)) Replace(member, key, value);
                    else
                    {
                        var settings = YamlMerge.Deep(Get(member, "settings"), YamlMerge.At(key, value));
                        _errors.Locate(settings, Get(item, "settings") ?? (YamlNode)item);
                        Replace(member, "settings", settings);
                    }
                }
            }
            _errors.Locate(member, item);
            members.Add(new Member(names[k], member, values[k]));
        }
        foreach (var m in members.Where(m => m.Id == id))
            _errors.Add(idNode, path, $"the member id '{m.Id}' is the matrix item's own id, which names the whole matrix: " +
                                      "give the members other ids (ids: [...] or a pattern such as '{id}-{n}')");
        _members[id] = members;
        return members;
    }

    /// <summary>The item's own matrix combinations (key and value node each), or null without `matrix:`.</summary>
    private List<List<(string Key, YamlNode Value)>>? Combinations(YamlMappingNode item, string id)
    {
        var node = Get(item, MatrixKey);
        if (node is null) return null;
        var path = $"experiments.{id}.{MatrixKey}";
        var result = new List<List<(string, YamlNode)>>();
        if (node is YamlMappingNode axes)
        {
            result.Add([]);
            foreach (var (keyNode, valuesNode) in axes.Children)
            {
                var key = KeyText(keyNode);
                if (!CheckMatrixKey(item, id, key, keyNode)) continue;
                if (valuesNode is not YamlSequenceNode { Children.Count: > 0 } values)
                {
                    _errors.Add(valuesNode, $"{path}.{key}", "expected a non-empty list of values, like [505, 515, 525]");
                    continue;
                }
                result = result.SelectMany(c => values.Children.Select(v => c.Append((key, v)).ToList())).ToList();
            }
            if (axes.Children.Count == 0) _errors.Add(node, path, "expected at least one key with a list of values, like { seed: [505, 515] }");
        }
        else if (node is YamlSequenceNode { Children.Count: > 0 } rows)
        {
            foreach (var row in rows.Children)
            {
                if (row is not YamlMappingNode { Children.Count: > 0 } map)
                {
                    _errors.Add(row, path, "expected a mapping of keys to values per combination, like { seed: 505, horizon: 100 }");
                    continue;
                }
                result.Add(map.Children.Where(c => CheckMatrixKey(item, id, KeyText(c.Key), c.Key))
                    .Select(c => (KeyText(c.Key), c.Value)).ToList());
            }
        }
        else
        {
            _errors.Add(node, path, "expected a mapping of keys to value lists ({ seed: [505, 515] }) or a list of combinations");
            return null;
        }
        return result.Count > 0 ? result : null;
    }

    private bool CheckMatrixKey(YamlMappingNode item, string id, string key, YamlNode keyNode)
    {
        if (ExperimentLevelKeys.Contains(key)) return true;
        var kind = (Get(item, "kind") as YamlScalarNode)?.Value;
        if (kind is null || !_kinds.TryGetValue(kind, out var descriptor)) return true; // the loader reports the kind
        if (SettingsBinder.TypeAt(descriptor.SettingsType, key) is not null) return true;
        _errors.Add(keyNode, $"experiments.{id}.{MatrixKey}.{key}",
            $"'{key}' is not a setting of kind {kind}: a matrix key is seed, seed_stream or a setting " +
            $"(dotted for nested ones, like optimizer.hidden); settings: {string.Join(", ", SettingsBinder.KeysOf(descriptor.SettingsType))}");
        return false;
    }

    /// <summary>
    /// A member's matrix values, for its default id and its followers: the followed members' values, then its own
    /// combination's (a key given again takes the later value).
    /// </summary>
    private static List<(string Key, string Text)> ValuesOf(IEnumerable<IReadOnlyList<(string Key, string Text)>> followed,
        List<(string Key, YamlNode Value)>? own)
    {
        var values = new List<(string Key, string Text)>();
        void Set(string key, string text) { values.RemoveAll(v => v.Key == key); values.Add((key, text)); }
        foreach (var member in followed)
            foreach (var (key, text) in member) Set(key, text);
        foreach (var (key, value) in own ?? []) Set(key, Text(value));
        return values;
    }

    private List<string> MemberIds(YamlMappingNode item, string id, IReadOnlyList<List<(string Key, string Text)>> values)
    {
        int count = values.Count;
        var node = Get(item, IdsKey);
        var path = $"experiments.{id}.{IdsKey}";
        var result = new List<string>();
        if (node is YamlSequenceNode list)
        {
            if (list.Children.Count != count)
                _errors.Add(node, path, $"{list.Children.Count} ids for {count} members: give one id per member, in order");
            foreach (var child in list.Children)
            {
                var text = (child as YamlScalarNode)?.Value;
                if (string.IsNullOrEmpty(text)) _errors.Add(child, path, "expected an experiment id");
                else result.Add(CheckId(text, child, path));
            }
            return result;
        }
        var pattern = node is null ? null : (node as YamlScalarNode)?.Value;
        if (node is not null && string.IsNullOrEmpty(pattern))
        {
            _errors.Add(node, path, "expected a list of ids or a pattern such as '{id}-{n}' or '{id}-seed{seed}'");
            pattern = null;
        }
        for (int k = 0; k < count; k++)
        {
            var placeholders = values[k].ToDictionary(v => v.Key, v => v.Text, StringComparer.Ordinal);
            placeholders["id"] = id;
            placeholders["n"] = (k + 1).ToString(CultureInfo.InvariantCulture);
            string name;
            if (pattern is null)
                name = values[k].Count > 0 ? $"{id}@{string.Join(",", values[k].Select(v => $"{v.Key}={v.Text}"))}" : $"{id}@{k + 1}";
            else
            {
                var unknown = Placeholder.Matches(pattern).Select(m => m.Groups[1].Value).Where(p => !placeholders.ContainsKey(p)).Distinct().ToList();
                if (unknown.Count > 0)
                {
                    _errors.Add(node, path, $"the pattern names {string.Join(", ", unknown.Select(u => $"{{{u}}}"))}, which this item does not have; " +
                                            $"allowed: {string.Join(", ", placeholders.Keys.Select(v => $"{{{v}}}"))}");
                    return result;
                }
                name = Placeholder.Replace(pattern, m => placeholders[m.Groups[1].Value]);
            }
            result.Add(CheckId(name, node ?? Get(item, "id")!, path));
        }
        if (pattern is not null && result.Distinct(StringComparer.Ordinal).Count() < result.Count)
            _errors.Add(node, path, $"the pattern '{pattern}' gives several members the same id: add {{n}} or a matrix key to it");
        return result;
    }

    private string CheckId(string id, YamlNode node, string path)
    {
        if (!DerivedIdSyntax.IsMatch(id))
            _errors.Add(node, path, $"member id '{id}' must be 1-128 letters, digits or '-', '_', '.', '@', '=', ',', '+', " +
                                    "starting with a letter or digit (it names folders under outputs/)");
        return id;
    }

    private static List<(string Id, YamlNode Node)> InputsOf(YamlMappingNode item) => Get(item, "inputs") switch
    {
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Where(s => !string.IsNullOrEmpty(s.Value))
            .Select(s => (s.Value!, (YamlNode)s)).ToList(),
        YamlScalarNode { Value: { Length: > 0 } single } node => [(single, node)],
        _ => [],
    };

    private static string Text(YamlNode value) => value switch
    {
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode seq => "[" + string.Join(",", seq.Children.Select(Text)) + "]",
        YamlMappingNode map => "{" + string.Join(",", map.Children.Select(c => $"{Text(c.Key)}:{Text(c.Value)}")) + "}",
        _ => "",
    };

    private static YamlMappingNode Without(YamlMappingNode item, params string[] keys)
    {
        var copy = new YamlMappingNode();
        foreach (var (k, v) in item.Children)
            if (!keys.Contains(KeyText(k))) copy.Children[k] = v;
        return copy;
    }

    private static void Replace(YamlMappingNode map, string key, YamlNode value)
    {
        var existing = map.Children.Keys.FirstOrDefault(k => KeyText(k) == key);
        if (existing is not null) map.Children.Remove(existing);
        map.Children[existing ?? new YamlScalarNode(key)] = value;
    }

    private static string? IdOf(YamlMappingNode item) => (Get(item, "id") as YamlScalarNode)?.Value is { Length: > 0 } id ? id : null;

    private static string KeyText(YamlNode key) => (key as YamlScalarNode)?.Value ?? "";

    private static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
}
