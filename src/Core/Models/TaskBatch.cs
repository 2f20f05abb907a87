using Harness.Core.Data;
using static TorchSharp.torch;

namespace Harness.Core.Models;

/// <summary>
/// B problems as tensors on one device: each problem is one task's data with one initialisation of f.
/// TrainX [B, N, D], TrainY [B, N], TestX [B, M, D], TestY [B, M], Theta0 [B, P].
/// </summary>
public sealed class TaskBatch : IDisposable
{
    public TaskBatch(Tensor trainX, Tensor trainY, Tensor testX, Tensor testY, Tensor theta0,
        IReadOnlyList<(int Task, int Init)> problems, IReadOnlyList<int>? taskIds = null)
    {
        TrainX = trainX; TrainY = trainY; TestX = testX; TestY = testY; Theta0 = theta0; Problems = problems;
        TaskIds = taskIds ?? problems.Select(p => p.Task).ToList();
    }

    public Tensor TrainX { get; }
    public Tensor TrainY { get; }
    public Tensor TestX { get; }
    public Tensor TestY { get; }
    public Tensor Theta0 { get; }
    public IReadOnlyList<(int Task, int Init)> Problems { get; }

    /// <summary>Each problem's task id (the split's index of its task): what seeds draws shared by every optimizer.</summary>
    public IReadOnlyList<int> TaskIds { get; }
    public int Size => Problems.Count;

    /// <summary>Builds a batch of (task, init) problems; f's initial θ comes from (initSeed, task index, init index).</summary>
    public static TaskBatch Create(IReadOnlyList<SplitTask> tasks, IReadOnlyList<(int Task, int Init)> problems,
        MlpArchitecture architecture, ulong initSeed, Device device)
    {
        var chosen = problems.Select(p => tasks[p.Task]).ToList();
        int n = chosen[0].TrainCount, m = chosen[0].TestCount, parameters = architecture.ParameterCount;
        int d = chosen[0].FeatureCount;
        if (architecture.InputWidth != d)
            throw new ArgumentException($"f takes {architecture.InputWidth} inputs but the tasks have {d} features");
        var trainX = new float[problems.Count * n * d];
        var trainY = new float[problems.Count * n];
        var testX = new float[problems.Count * m * d];
        var testY = new float[problems.Count * m];
        var theta = new float[problems.Count * parameters];
        for (int b = 0; b < problems.Count; b++)
        {
            var t = chosen[b];
            t.TrainFeatures.CopyTo(trainX, b * n * d);
            t.TrainLabels.CopyTo(trainY, b * n);
            t.TestFeatures.CopyTo(testX, b * m * d);
            t.TestLabels.CopyTo(testY, b * m);
            MlpInitializer.Initialize(architecture, MlpInitializer.SeedFor(initSeed, t.Index, problems[b].Init))
                .CopyTo(theta, b * parameters);
        }
        int batch = problems.Count;
        return new TaskBatch(
            tensor(trainX, [batch, n, d]).to(device), tensor(trainY, [batch, n]).to(device),
            tensor(testX, [batch, m, d]).to(device), tensor(testY, [batch, m]).to(device),
            tensor(theta, [batch, parameters]).to(device), problems, chosen.Select(t => t.Index).ToList());
    }

    public void Dispose()
    {
        TrainX.Dispose(); TrainY.Dispose(); TestX.Dispose(); TestY.Dispose(); Theta0.Dispose();
    }
}
