using Harness.Core.Runtime;
using Harness.Core.Specs;

namespace Harness.Tests.Unit.Specs;

public class SpecHasherTests
{
    private static readonly CodeVersion Code = new("abc123", "main", false);

    private static string HashOf(string text, string id = "split-a", bool golden = false, CodeVersion? code = null,
        string input = "small=h1") =>
        SpecHasher.ExperimentHash(SpecFixtures.Parse(text).FindExperiment(id)!, golden, [input], code ?? Code);

    [Fact]
    public void Reordering_keys_keeps_the_hash()
    {
        var reordered = SmallSpecs.Valid.Edit(
            "      subsets: 4\n      subset_size: 200\n      test_fraction: 0.2\n      standardization: zscore",
            "      standardization: zscore\n      test_fraction: 0.2\n      subset_size: 200\n      subsets: 4");
        Assert.NotEqual(SmallSpecs.Valid, reordered);
        Assert.Equal(HashOf(SmallSpecs.Valid), HashOf(reordered));
    }

    [Fact]
    public void Writing_a_default_explicitly_keeps_the_hash()
    {
        var explicitDefaults = SmallSpecs.Valid.Edit("settings: { subsets: 2, subset_size: 100 }",
            "settings: { subsets: 2, subset_size: 100, test_fraction: 0.2, standardization: zscore }");
        Assert.Equal(HashOf(SmallSpecs.Valid, "split-b"), HashOf(explicitDefaults, "split-b"));
    }

    [Theory]
    [InlineData("subsets: 4", "subsets: 3")]
    [InlineData("subset_size: 200", "subset_size: 202")]
    [InlineData("test_fraction: 0.2", "test_fraction: 0.25")]
    [InlineData("standardization: zscore", "standardization: none")]
    [InlineData("seed: 1", "seed: 5")]
    public void Changing_any_setting_changes_the_hash(string find, string replace) =>
        Assert.NotEqual(HashOf(SmallSpecs.Valid), HashOf(SmallSpecs.Valid.Edit(find, replace)));

    [Fact]
    public void Declaring_a_seed_stream_changes_the_hash_and_each_stream_has_its_own()
    {
        var plain = HashOf(SmallSpecs.Valid, "split-b");
        var streamA = HashOf(SmallSpecs.Valid.Edit("    seed: 2\n", "    seed: 2\n    seed_stream: split-a\n"), "split-b");
        var streamC = HashOf(SmallSpecs.Valid.Edit("    seed: 2\n", "    seed: 2\n    seed_stream: split-c\n"), "split-b");
        Assert.NotEqual(plain, streamA);
        Assert.NotEqual(streamA, streamC);
    }

    [Fact]
    public void Golden_size_code_version_and_inputs_change_the_hash()
    {
        var baseline = HashOf(SmallSpecs.Valid);
        Assert.NotEqual(baseline, HashOf(SmallSpecs.Valid, golden: true));
        Assert.NotEqual(baseline, HashOf(SmallSpecs.Valid, code: Code with { Dirty = true }));
        Assert.NotEqual(baseline, HashOf(SmallSpecs.Valid, code: Code with { Commit = "def456" }));
        Assert.NotEqual(baseline, HashOf(SmallSpecs.Valid, input: "small=h2"));
    }

    [Fact]
    public void Fast_numerics_results_never_share_a_hash_with_portable_ones()
    {
        var spec = SpecFixtures.Parse(SmallSpecs.Valid).Experiments[0];
        string Hash(Harness.Core.Runtime.NumericsMode mode) => SpecHasher.ExperimentHash(spec, false, ["small=h"], Code, "cpu", 2, mode);
        Assert.NotEqual(Hash(Harness.Core.Runtime.NumericsMode.Portable), Hash(Harness.Core.Runtime.NumericsMode.Fast));
        Assert.Equal(Hash(Harness.Core.Runtime.NumericsMode.Portable), SpecHasher.ExperimentHash(spec, false, ["small=h"], Code, "cpu", 2));
    }
}

public class CanonicalSettingsTests
{
    [Fact]
    public void Derived_values_are_not_part_of_a_canonical_spec()
    {
        var settings = new Harness.Core.Meta.MetaTrainSettings(new Harness.Core.Learned.LearnedOptimizerSettings(),
            F: Harness.Core.Models.MlpArchitecture.Study);
        var json = SpecHasher.CanonicalSettings(settings)!.ToJsonString();
        Assert.DoesNotContain("resolved", json);
        Assert.DoesNotContain("segments", json);
        Assert.DoesNotContain("input_size", json);
        Assert.Contains("\"layers\":[2,128,64,1]", json);
    }
}

public class CodeVersionTests
{
    [Fact]
    public void A_dirty_tree_is_identified_by_its_changes_so_edits_change_spec_hashes()
    {
        var a = new Harness.Core.Runtime.CodeVersion("abc", "main", true, "111111111111");
        var b = a with { DiffHash = "222222222222" };
        Assert.Equal("abc+dirty.111111111111", a.ToString());
        Assert.NotEqual(a.ToString(), b.ToString());
        Assert.Equal("abc", (a with { Dirty = false }).ToString());
    }
}

public class ResultKeyTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("harness-codeversion-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private void Git(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = _repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "user.name=t", "-c", "user.email=t@example.invalid" }.Concat(args)) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    private void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_repo, path))!);
        File.WriteAllText(Path.Combine(_repo, path), text);
    }

    private void Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
    }

    [Fact]
    public void A_documentation_commit_keeps_the_result_key_and_a_source_change_moves_it()
    {
        Git("init", "-q");
        Write("src/Core/A.cs", "class A {}");
        Write("README.md", "# one");
        Commit("first");
        var first = CodeVersion.Detect(_repo);
        Assert.NotNull(first.SourceHash);

        Write("README.md", "# two");
        Write("docs/more.md", "more");
        Write("tests/Unit/T.cs", "class T {}");
        Commit("docs and tests");
        var docs = CodeVersion.Detect(_repo);
        Assert.NotEqual(first.Commit, docs.Commit);
        Assert.Equal(first.ResultKey, docs.ResultKey);

        Write("src/Core/A.cs", "class A { int x; }");
        var edited = CodeVersion.Detect(_repo); // uncommitted: the work tree counts
        Assert.NotEqual(first.ResultKey, edited.ResultKey);
        Write("src/Core/B.cs", "class B {}");
        Assert.NotEqual(edited.ResultKey, CodeVersion.Detect(_repo).ResultKey); // an untracked source too
        Write("Directory.Packages.props", "<Project />");
        Assert.NotEqual(edited.ResultKey, CodeVersion.Detect(_repo).ResultKey);
    }

    [Fact]
    public void Spec_hashes_follow_the_result_key_not_the_commit()
    {
        var file = SpecFixtures.Parse(SmallSpecs.Valid);
        var spec = file.FindExperiment("split-a")!;
        string Hash(CodeVersion code) => SpecHasher.ExperimentHash(spec, false, ["small=h"], code);
        var a = new CodeVersion("abc", "main", false, null, "s1");
        Assert.Equal(Hash(a), Hash(a with { Commit = "def", Dirty = true, DiffHash = "x" }));
        Assert.NotEqual(Hash(a), Hash(a with { SourceHash = "s2" }));
        Assert.True(CodeVersion.ComputesResults("src/Core/Learned/GruColumnsKernel.cs"));
        Assert.False(CodeVersion.ComputesResults("src/Core/bin/Release/x.cs"));
        Assert.False(CodeVersion.ComputesResults("README.md"));
        Assert.False(CodeVersion.ComputesResults("research/guard-probe/Program.cs"));
    }
}
