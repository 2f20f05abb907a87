namespace Harness.Core.Tracking;

/// <summary>
/// A dataset a run read, as MLflow records it (the run list's Dataset column, the run page's inputs): name, digest,
/// source type and source (JSON: generator parameters, or a file's URI), schema (MLflow's colspec JSON), profile (JSON:
/// rows and class counts), and the context the run read it in (mlflow.data.context: source, training, test…).
/// </summary>
public sealed record DatasetInput(string Name, string Digest, string SourceType, string Source, string Schema, string Profile, string Context)
{
    /// <summary>The input tag MLflow's UI shows beside a dataset.</summary>
    public const string ContextTag = "mlflow.data.context";

    /// <summary>MLflow's id of a dataset in a file store: md5(name + digest), as its FileStore computes it.</summary>
    public string FileStoreId => Md5(Name + Digest);

    /// <summary>MLflow's id of this dataset's input of one run: md5(dataset id + run id).</summary>
    public string FileStoreInputId(string runId) => Md5(FileStoreId + runId);

    private static string Md5(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
