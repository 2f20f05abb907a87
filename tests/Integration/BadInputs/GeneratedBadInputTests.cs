using Bogus;

namespace Harness.Tests.Integration.BadInputs;

/// <summary>
/// Generated command lines (Bogus, fixed seed): random verbs, options and values, many of them nonsense. Whatever the
/// input, the answer is success (0) or a clean user error (2): never a failure, a crash or a stack trace.
/// </summary>
[Collection("torch")]
public class GeneratedBadInputTests
{
    private static readonly string[][] Verbs =
    [
        ["run"], ["validate"], ["list"], ["show"], ["data", "show"], ["data", "generate"], ["shapes"], ["mlflow", "push"],
    ];

    private static readonly string[] Options =
        ["--threads", "--device", "--outputs", "--file", "--force", "--golden", "--resume", "--preset", "--rows", "--seed", "--out",
         "--elman", "--to", "--plot", "--turns", "--noise"];

    private static readonly string[] Values =
        ["0", "-1", "2", "99999999999", "1e400", "NaN", "", " ", "split-a", "split-z", "cpu", "cuda", "gpu", "dataset1", "dataset9",
         "x.csv", "/proc/nope", "../../..", "ünïcödé", "--", "-", "experiments.yaml", "none", "http://127.0.0.1:1", "3 2", "%s%n"];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 1; seed <= 30; seed++) data.Add(seed);
        return data;
    }

    public static string[] Generate(int seed)
    {
        var faker = new Faker { Random = new Randomizer(seed) };
        var args = new List<string>(faker.PickRandom(Verbs));
        int extra = faker.Random.Int(0, 4);
        for (int i = 0; i < extra; i++)
        {
            args.Add(faker.Random.Bool(0.8f) ? faker.PickRandom(Options) : faker.Random.Utf16String(1, 8));
            if (faker.Random.Bool(0.7f)) args.Add(faker.PickRandom(Values));
        }
        return args.ToArray();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_generated_command_line_ends_in_success_or_a_clean_user_error(int seed)
    {
        var args = Generate(seed);
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("experiments.yaml"), BadInputCatalogue.Spec);
        var result = CliRunner.Run(folder.Path, args);
        var shown = string.Join(' ', args.Select(a => $"'{a}'"));
        Assert.True(result.ExitCode is 0 or 2, $"harness {shown} exited {result.ExitCode}:\n{result.All}");
        Assert.DoesNotContain("   at ", result.All);
        if (result.ExitCode == 2) Assert.False(string.IsNullOrWhiteSpace(result.StdErr), $"harness {shown}: exit 2 without a message");
    }
}
