using Harness.Tests.Integration.Tracking;

namespace Harness.Tests.Integration.BadInputs;

/// <summary>A g meta-trained once (and a wider one), copied into each checkpoint case's folder.</summary>
public sealed class TrainedGFixture : IDisposable
{
    public TrainedGFixture()
    {
        var spec = BadInputCatalogue.MetaSpec() + """

              - id: g-wide
                kind: meta-train
                seed: 3
                inputs: [train-tasks]
                settings:
                  optimizer: { hidden: 9, inputs: [adam-gradient, momenta], output: adam-residual, learning_rate: 0.02 }
                  f: { layers: [2, 16, 1] }
                  epochs: 1
                  horizon: 4
                  truncation: 2
                  tasks_per_step: 2
                  validation_tasks: 2
            """;
        File.WriteAllText(Folder.File("experiments.yaml"), spec);
        var run = CliRunner.Run(Folder.Path, "run", "g", "g-wide", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.All);
    }

    public TempFolder Folder { get; } = new();

    public void CopyTo(TempFolder target)
    {
        foreach (var file in Directory.GetFiles(Folder.Path, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target.Path, Path.GetRelativePath(Folder.Path, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    public void Dispose() => Folder.Dispose();
}

/// <summary>
/// Every bad input of the catalogue ends in its exit code and a specific message, with no stack trace and nothing
/// half-written (no staging folders, no result.json of a failed experiment).
/// </summary>
[Collection("torch")]
public class BadInputTests(TrainedGFixture trained) : IClassFixture<TrainedGFixture>
{
    public static TheoryData<BadInput> Catalogue()
    {
        var data = new TheoryData<BadInput>();
        foreach (var c in BadInputCatalogue.Cases()) data.Add(c);
        return data;
    }

    [Fact]
    public void The_catalogue_has_at_least_50_distinct_cases_across_every_source()
    {
        var cases = BadInputCatalogue.Cases().ToList();
        Assert.True(cases.Count >= 50, $"{cases.Count} cases");
        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct().Count());
        foreach (var source in new[] { "csv", "yaml", "schema", "args", "checkpoint", "tracking", "outputs", "slurm" })
            Assert.Contains(cases, c => c.Name.StartsWith(source + ":", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void Bad_input_gets_a_specific_error_and_loses_nothing(BadInput input)
    {
        using var folder = new TempFolder();
        if (input.NeedsTrainedG) trained.CopyTo(folder);
        input.Setup?.Invoke(folder);
        var before = Results(folder);

        using var server = input.Environment?.Values.Contains("{unauthorized}") == true ? new FakeMlflowServer() : null;
        var environment = input.Environment?.ToDictionary(e => e.Key, e => e.Value == "{unauthorized}" ? server!.Url : e.Value)
                          ?? new Dictionary<string, string?>();
        if (server is not null) server.Failures["/api/2.0/mlflow/experiments/get-by-name"] = (401, 100);

        var result = CliRunner.Run(folder.Path, environment, input.Args);

        Assert.True(result.ExitCode == input.Exit, $"exit {result.ExitCode}, expected {input.Exit}:\n{result.All}");
        foreach (var fragment in input.Says)
            Assert.True(result.StdErr.Contains(fragment, StringComparison.OrdinalIgnoreCase), $"'{fragment}' missing from:\n{result.All}");
        foreach (var fragment in input.NotSays ?? [])
            Assert.False(result.All.Contains(fragment, StringComparison.OrdinalIgnoreCase), $"'{fragment}' must not be said:\n{result.All}");
        Assert.DoesNotContain("   at ", result.All);          // no stack trace without --verbose
        Assert.DoesNotContain("Unhandled exception", result.All);
        foreach (var secret in environment.Where(e => e.Key.Contains("TOKEN", StringComparison.Ordinal) || e.Key.Contains("PASSWORD", StringComparison.Ordinal))
                     .Select(e => e.Value!))
            Assert.DoesNotContain(secret, result.All);
        Assert.Equal(before, Results(folder));               // no new (half-written) result
        Assert.Empty(Directory.GetDirectories(folder.Path, ".staging-*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp*", SearchOption.AllDirectories)); // no half-written file
    }

    private static string[] Results(TempFolder folder) =>
        Directory.GetFiles(folder.Path, "result.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
}
