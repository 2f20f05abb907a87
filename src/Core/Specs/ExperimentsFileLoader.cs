using Harness.Core.Data;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Harness.Core.Specs;

/// <summary>
/// Reads and validates experiments.yaml strictly: unknown keys, wrong types, out-of-range values, unknown kinds,
/// missing references, duplicate ids, cycles and inputs the data cannot supply are all reported at once, each
/// with file, line, column and key path.
/// </summary>
public sealed class ExperimentsFileLoader
{
    private static readonly string[] TopKeys = ["project", "tracking", "slurm", "datasets", "experiments"];
    private static readonly string[] DatasetKeys = ["id", "generate", "csv"];
    private static readonly string[] ExperimentKeys =
        ["id", "extends", "kind", "seed", "seed_stream", "sealed", "inputs", "settings", "golden", "matrix", "ids"];

    private readonly IReadOnlyDictionary<string, IExperimentKindDescriptor> _kinds;

    public ExperimentsFileLoader(IEnumerable<IExperimentKindDescriptor> kinds) =>
        _kinds = kinds.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public ExperimentsFile Load(string path)
    {
        if (Directory.Exists(path))
            throw new UserInputException($"{path} is a folder, not an experiments file: pass the path of the experiments.yaml " +
                                         $"inside it (-f {Path.Combine(path, "experiments.yaml")}).");
        if (!File.Exists(path))
            throw new UserInputException($"{path}: no such experiments file. Pass the path of an experiments.yaml " +
                                         "(see docs/experiments.md), or run from the folder that holds it.");
        return Parse(YamlText.ReadUtf8(path), path, new DatasetMaterializer(path));
    }

    public ExperimentsFile Parse(string text, string file, DatasetMaterializer datasets)
    {
        var errors = new SpecErrors(file);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message ?? e.Message;
            errors.Add(e.Start, "", $"not valid YAML: {inner.Trim()} (check indentation, colons and quotes)");
            errors.ThrowIfAny();
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up on some malformed flow collections without a position: find the bracket.
            var (line, column, opener) = YamlText.UnclosedFlow(text);
            errors.Add(new Mark(0, line, column), "", $"not valid YAML: this '{opener}' is never closed (check brackets and quotes)");
            errors.ThrowIfAny();
        }
        if (stream.Documents.Count > 1)
        {
            errors.Add(stream.Documents[1].RootNode, "",
                "a second YAML document (after '---'): an experiments file holds one document; remove the '---' line or move the rest into its own file");
            errors.ThrowIfAny();
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(stream.Documents.FirstOrDefault()?.RootNode, "",
                "expected a mapping with the keys project, tracking, datasets, experiments");
            errors.ThrowIfAny();
            throw new InvalidOperationException("unreachable");
        }

        CheckKeys(root, "", TopKeys, errors);
        var project = ScalarText(root, "project", "", errors, required: true) ?? "harness";
        var tracking = Get(root, "tracking") is { } trackingNode
            ? SettingsBinder.Bind<TrackingSpec>(trackingNode, "tracking", errors) ?? new TrackingSpec()
            : new TrackingSpec();

        var slurm = ReadSlurm(Get(root, "slurm"), errors);
        var (datasetSpecs, declaredDatasets) = ReadDatasets(Get(root, "datasets"), errors);
        var (declaredExperiments, matrices) = ReadExperiments(Get(root, "experiments"), errors);

        // A dataset that failed its own checks still declares its id, so its readers get no follow-on "unknown id".
        // A duplicate id is reported once and its second declaration is not read further (it may be another kind).
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, node) in declaredDatasets) CheckUniqueId(id, node, ids, errors);
        datasetSpecs = datasetSpecs.GroupBy(d => d.Spec.Id, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var experimentNodes = declaredExperiments.Where(e => CheckUniqueId(e.Id, e.IdNode, ids, errors)).ToList();
        var duplicated = declaredDatasets.Select(d => d.Id).Concat(declaredExperiments.Select(e => e.Id))
            .GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var m in matrices) CheckUniqueId(m.Id, m.IdNode, ids, errors);

        // Datasets: materialise to check they exist and to know their class counts.
        var datasetInfo = new Dictionary<string, InputInfo>(StringComparer.Ordinal);
        foreach (var (spec, node) in datasetSpecs)
        {
            try
            {
                var data = datasets.Get(spec);
                datasetInfo[spec.Id] = new InputInfo(spec.Id, InputInfo.DatasetKind, data.CountOf(0), data.CountOf(1), null, data.FeatureCount);
            }
            catch (UserInputException e)
            {
                errors.Add(node, $"datasets.{spec.Id}", e.Message);
            }
        }

        var experiments = new List<ExperimentSpec>();
        var experimentInfo = new Dictionary<string, (InputInfo Info, ExperimentSpec Spec)>(StringComparer.Ordinal);
        foreach (var e in experimentNodes)
        {
            if (e.Kind is null || e.Descriptor is null) continue;
            errors.Fallback = e.Settings ?? e.IdNode;
            var settings = SettingsBinder.Bind(e.Descriptor.SettingsType, e.Settings ?? new YamlMappingNode(),
                $"experiments.{e.Id}.settings", errors);
            errors.Fallback = e.Golden ?? e.Settings ?? e.IdNode;
            var golden = settings is null ? null : SettingsBinder.Bind(e.Descriptor.SettingsType,
                YamlMerge.Deep(e.Settings ?? new YamlMappingNode(), e.Golden), $"experiments.{e.Id}.golden", errors);
            errors.Fallback = null;
            if (settings is null || golden is null) continue;
            var spec = new ExperimentSpec(e.Id, e.Kind, e.Seed, e.Inputs.Select(i => i.Id).ToList(), settings, golden,
                (int)errors.PositionOf(e.IdNode).Line, e.SeedStream, e.Sealed);
            experiments.Add(spec);
            int features = e.Inputs.Select(i => datasetInfo.GetValueOrDefault(i.Id)?.Features ?? 0).FirstOrDefault(f => f > 0);
            experimentInfo[e.Id] = (new InputInfo(e.Id, e.Kind, 0, 0, settings, features), spec);
        }

        // References and input rules.
        foreach (var e in experimentNodes.Where(x => experimentInfo.ContainsKey(x.Id)))
        {
            var inputs = new List<InputInfo>();
            var goldenInputs = new List<InputInfo>();
            bool allKnown = true;
            foreach (var (inputId, inputNode) in e.Inputs)
            {
                if (duplicated.Contains(inputId)) allKnown = false; // which of the two is meant is unknown: the duplicate is the error
                else if (datasetInfo.TryGetValue(inputId, out var d)) { inputs.Add(d); goldenInputs.Add(d); }
                else if (experimentInfo.TryGetValue(inputId, out var x))
                {
                    inputs.Add(x.Info);
                    goldenInputs.Add(x.Info with { Settings = x.Spec.GoldenSettings });
                }
                else
                {
                    allKnown = false;
                    if (!ids.ContainsKey(inputId))
                        errors.Add(inputNode, $"experiments.{e.Id}.inputs",
                            $"'{inputId}' is neither a dataset nor an experiment of this file; known ids: " +
                            string.Join(", ", ids.Keys));
                }
            }
            if (!allKnown) continue;
            var (_, spec) = experimentInfo[e.Id];
            var fullSize = e.Descriptor!.CheckInputs(spec.Settings, inputs).ToList();
            foreach (var problem in fullSize)
                errors.Add(e.InputsNode ?? e.IdNode, $"experiments.{e.Id}.inputs", problem);
            // At golden size only what full size does not already say; without a golden block, it is the inputs' golden sizes.
            foreach (var problem in e.Descriptor.CheckInputs(spec.GoldenSettings, goldenInputs).Where(p => !fullSize.Contains(p)))
                if (e.GoldenNode is not null) errors.Add(e.GoldenNode, $"experiments.{e.Id}.golden", problem);
                else errors.Add(e.InputsNode ?? e.IdNode, $"experiments.{e.Id}.inputs", $"at golden size (run --golden, its inputs' golden blocks): {problem}");
        }

        CheckCycles(experimentNodes, errors);
        errors.ThrowIfAny();
        return new ExperimentsFile(file, project, tracking, datasetSpecs.Select(d => d.Spec).ToList(), experiments,
            matrices.ToDictionary(m => m.Id, m => m.Members, StringComparer.Ordinal), slurm);
    }

    /// <summary>`slurm:` — `defaults` and one key per experiment kind, each a <see cref="SlurmResources"/> mapping.</summary>
    private SlurmSpec ReadSlurm(YamlNode? node, SpecErrors errors)
    {
        if (node is null) return SlurmSpec.Empty;
        if (node is not YamlMappingNode map)
        {
            errors.Add(node, "slurm", "expected a mapping: defaults and one key per experiment kind, each { cpus, memory, time, partition }");
            return SlurmSpec.Empty;
        }
        var defaults = new SlurmResources();
        var kinds = new Dictionary<string, SlurmResources>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (key != "defaults" && !_kinds.ContainsKey(key))
            {
                errors.Add(keyNode, $"slurm.{key}", $"unknown key '{key}'; allowed: defaults, {string.Join(", ", _kinds.Keys.Order())}");
                continue;
            }
            if (SettingsBinder.Bind<SlurmResources>(value, $"slurm.{key}", errors) is not { } resources) continue;
            if (key == "defaults") defaults = resources;
            else kinds[key] = resources;
        }
        return new SlurmSpec(defaults, kinds);
    }

    /// <summary>The valid datasets, and every declared id (with its node) whether or not its dataset was valid.</summary>
    private (List<(DatasetSpec Spec, YamlNode Node)> Valid, List<(string Id, YamlNode Node)> Declared) ReadDatasets(YamlNode? node, SpecErrors errors)
    {
        var result = new List<(DatasetSpec, YamlNode)>();
        var declared = new List<(string, YamlNode)>();
        if (node is null) return (result, declared);
        if (node is not YamlSequenceNode list)
        {
            errors.Add(node, "datasets", "expected a list of datasets, each '- id: NAME' with 'generate:' or 'csv:'");
            return (result, declared);
        }
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode map)
            {
                errors.Add(item, "datasets", "expected a dataset mapping with the keys id and generate or csv");
                continue;
            }
            CheckKeys(map, "datasets[]", DatasetKeys, errors);
            var id = ScalarText(map, "id", "datasets[]", errors, required: true);
            if (id is null) continue;
            var path = $"datasets.{id}";
            declared.Add((id, map));
            CheckIdSyntax(id, Get(map, "id")!, path, errors);
            var generateNode = Get(map, "generate");
            var csv = ScalarText(map, "csv", path, errors, required: false);
            if ((generateNode is null) == (csv is null))
            {
                errors.Add(map, path, "give exactly one of 'generate:' (a seeded generator's settings) or 'csv:' (a file path)");
                continue;
            }
            GeneratedDatasetSpec? generate = null;
            if (generateNode is not null)
            {
                generate = SettingsBinder.Bind<GeneratedDatasetSpec>(generateNode, $"{path}.generate", errors);
                if (generate is null) continue;
                var problems = DatasetMaterializer.Problems(generate);
                foreach (var (key, problem) in problems)
                    errors.Add(Get((YamlMappingNode)generateNode, key) ?? generateNode, $"{path}.generate.{key}", problem);
                if (problems.Count > 0) continue;
            }
            result.Add((new DatasetSpec(id, generate, csv, (int)map.Start.Line), map));
        }
        return (result, declared);
    }

    private sealed record ExperimentNode(
        string Id, YamlNode IdNode, string? Kind, IExperimentKindDescriptor? Descriptor, ulong Seed, string? SeedStream,
        List<(string Id, YamlNode Node)> Inputs, YamlNode? InputsNode, YamlNode? Settings, YamlNode? Golden, YamlNode? GoldenNode,
        bool Sealed = false);

    private (List<ExperimentNode> Experiments, IReadOnlyList<ExperimentTemplates.MatrixItem> Matrices) ReadExperiments(YamlNode? node, SpecErrors errors)
    {
        var result = new List<ExperimentNode>();
        var matrices = new List<ExperimentTemplates.MatrixItem>();
        if (node is null)
        {
            errors.Add(Mark.Empty, "experiments", "missing the 'experiments:' list");
            return (result, matrices);
        }
        if (node is not YamlSequenceNode list)
        {
            errors.Add(node, "experiments", "expected a list of experiments, each starting '- id: NAME'");
            return (result, matrices);
        }
        var declared = new List<YamlMappingNode>();
        foreach (var item in list.Children)
        {
            if (item is YamlMappingNode declaredItem) declared.Add(declaredItem);
            else errors.Add(item, "experiments", "expected an experiment mapping with the keys " + string.Join(", ", ExperimentKeys));
        }
        var expansion = ExperimentTemplates.Expand(declared, _kinds, errors);
        matrices.AddRange(expansion.Matrices);
        var memberIds = expansion.Matrices.SelectMany(m => m.Members).ToHashSet(StringComparer.Ordinal);
        foreach (var map in expansion.Items)
        {
            CheckKeys(map, "experiments[]", ExperimentKeys, errors);
            var id = ScalarText(map, "id", "experiments[]", errors, required: true);
            if (id is null) continue;
            var path = $"experiments.{id}";
            if (!memberIds.Contains(id)) CheckIdSyntax(id, Get(map, "id")!, path, errors); // members' ids are checked as derived
            var kind = ScalarText(map, "kind", path, errors, required: true);
            IExperimentKindDescriptor? descriptor = null;
            if (kind is not null && !_kinds.TryGetValue(kind, out descriptor))
            {
                errors.Add(Get(map, "kind"), $"{path}.kind", $"unknown kind '{kind}'; allowed: {string.Join(", ", _kinds.Keys.Order())}");
                kind = null;
            }
            ulong seed = 0;
            var seedNode = Get(map, "seed");
            if (seedNode is null) errors.Add(map, path, "missing required key 'seed' (a whole number ≥ 0): every experiment declares its seed");
            else seed = (ulong?)SettingsBinder.Bind(typeof(ulong), seedNode, $"{path}.seed", errors) ?? 0;
            var seedStream = ScalarText(map, "seed_stream", path, errors, required: false);
            if (seedStream is not null && !IdSyntax.IsMatch(seedStream))
            {
                errors.Add(Get(map, "seed_stream"), $"{path}.seed_stream",
                    $"seed stream '{seedStream}' must be 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit " +
                    "(usually the id of the experiment whose random draws this one shares)");
                seedStream = null;
            }

            var inputs = new List<(string, YamlNode)>();
            var inputsNode = Get(map, "inputs");
            if (inputsNode is YamlSequenceNode seq)
            {
                foreach (var child in seq.Children)
                {
                    if (child is YamlScalarNode { Value: { Length: > 0 } v }) inputs.Add((v, child));
                    else errors.Add(child, $"{path}.inputs", "expected the id of a dataset or experiment");
                }
            }
            else if (inputsNode is YamlScalarNode { Value: { Length: > 0 } single }) inputs.Add((single, inputsNode));
            else if (inputsNode is not null) errors.Add(inputsNode, $"{path}.inputs", "expected a list of dataset or experiment ids");

            var golden = Get(map, "golden");
            if (golden is not null and not YamlMappingNode)
            {
                errors.Add(golden, $"{path}.golden", "expected a mapping of settings overrides (the reduced sizes of golden tests)");
                golden = null;
            }
            bool isSealed = false;
            if (Get(map, "sealed") is { } sealedNode)
            {
                isSealed = (bool?)SettingsBinder.Bind(typeof(bool), sealedNode, $"{path}.sealed", errors) ?? false;
                if (isSealed && kind is not null && kind != "split")
                    errors.Add(sealedNode, $"{path}.sealed", $"only a split can be sealed (this is a {kind}); seal the split whose tasks are kept for final claims");
            }
            result.Add(new ExperimentNode(id, Get(map, "id")!, kind, descriptor, seed, seedStream, inputs, inputsNode,
                Get(map, "settings"), golden, golden, isSealed));
        }
        return (result, matrices);
    }

    private static void CheckCycles(List<ExperimentNode> experiments, SpecErrors errors)
    {
        var byId = experiments.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First());
        var state = new Dictionary<string, int>(); // 1 visiting, 2 done
        var reported = new HashSet<string>();
        void Visit(ExperimentNode node, Stack<string> trail)
        {
            state[node.Id] = 1;
            trail.Push(node.Id);
            foreach (var (inputId, inputNode) in node.Inputs)
            {
                if (!byId.TryGetValue(inputId, out var next)) continue;
                if (state.GetValueOrDefault(inputId) == 1)
                {
                    var cycle = trail.Reverse().SkipWhile(id => id != inputId).Append(inputId).ToList();
                    if (reported.Add(string.Join(",", cycle.Order())))
                        errors.Add(inputNode, $"experiments.{node.Id}.inputs",
                            $"dependency cycle: {string.Join(" -> ", cycle)}; an experiment cannot need its own result");
                }
                else if (state.GetValueOrDefault(inputId) == 0)
                {
                    Visit(next, trail);
                }
            }
            trail.Pop();
            state[node.Id] = 2;
        }
        foreach (var e in experiments)
            if (state.GetValueOrDefault(e.Id) == 0) Visit(e, new Stack<string>());
    }

    /// <summary>Records an id; false (and an error) when it was declared before.</summary>
    private static bool CheckUniqueId(string id, YamlNode node, Dictionary<string, int> ids, SpecErrors errors)
    {
        if (ids.TryGetValue(id, out var line))
        {
            errors.Add(node, id, $"duplicate id '{id}' (first used on line {line}); ids must be unique across datasets and experiments " +
                                 "(matrix members' ids included)");
            return false;
        }
        ids[id] = (int)errors.PositionOf(node).Line;
        return true;
    }

    private static readonly System.Text.RegularExpressions.Regex IdSyntax = new("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");

    private static void CheckIdSyntax(string id, YamlNode node, string path, SpecErrors errors)
    {
        if (!IdSyntax.IsMatch(id))
            errors.Add(node, path, $"id '{id}' must be 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit " +
                                   "(it names folders under outputs/)");
    }

    private static void CheckKeys(YamlMappingNode map, string path, string[] allowed, SpecErrors errors)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name))
                errors.Add(key, path.Length == 0 ? name : $"{path}.{name}", $"unknown key '{name}'; allowed keys: {string.Join(", ", allowed)}");
        }
    }

    private static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static YamlNode? Get(YamlNode? node, string key) => node is YamlMappingNode map ? Get(map, key) : null;

    private static string? ScalarText(YamlMappingNode map, string key, string path, SpecErrors errors, bool required)
    {
        var node = Get(map, key);
        var full = path.Length == 0 ? key : $"{path}.{key}";
        if (node is null)
        {
            if (required) errors.Add(map, path, $"missing required key '{key}'");
            return null;
        }
        if (node is YamlScalarNode { Value: { Length: > 0 } value }) return value;
        errors.Add(node, full, $"expected a text value for '{key}'");
        return null;
    }
}
