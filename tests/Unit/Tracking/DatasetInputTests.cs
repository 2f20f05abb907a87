using Harness.Core.Tracking;

namespace Harness.Tests.Unit.Tracking;

public class DatasetInputTests
{
    /// <summary>MLflow's FileStore names a dataset md5(name + digest) and its input md5(dataset id + run id) (values from Python's hashlib).</summary>
    [Fact]
    public void File_store_ids_are_mlflows_md5_of_name_and_digest_and_of_dataset_and_run()
    {
        var input = new DatasetInput("dataset1", "fc784ab3e54177a2", "code", "{}", "{}", "{}", "source");
        Assert.Equal("03c4b81d25cffcaafe8b266185d98d8b", input.FileStoreId);
        Assert.Equal("f6648c40265af652d42c4f6ac8a3535c", input.FileStoreInputId("0123456789abcdef0123456789abcdef"));
    }
}
