using Keel.Core.Artifacts;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Xunit;

namespace Keel.EndToEnd.Tests.Artifacts;

/// <summary>
/// The SDK's client through a real server whose artifacts destination is S3 (<c>KEEL_TEST_S3</c>):
/// the contract holds end to end, client → proxy → S3.
/// </summary>
[RequiresEnvironment(S3Location.Variable, S3Location.Reason)]
public sealed class RestS3ArtifactStoreContractTests : ArtifactStoreContract
{
    private readonly InProcessServers _servers = new();
    private string? _destination;

    protected override int ManyFilesCount => 300;

    protected override Task<IArtifactStore> CreateStoreAsync()
    {
        _destination = S3Location.New("rest-contract");
        return Task.FromResult<IArtifactStore>(_servers.StartClient(_destination));
    }

    protected override async Task DisposeStoreAsync(IArtifactStore store)
    {
        foreach (var entry in await store.ListAsync(null))
        {
            await store.DeleteAsync(entry.Path);
        }

        await _servers.DisposeAsync();
    }

    [ContractFact(Skip = "Gap: S3 lets a key and a 'directory' of the same name coexist; refusing it would cost a HEAD per parent and a LIST on every write, and could not be atomic anyway.")]
    public override Task A_file_and_a_directory_cannot_share_a_name() => Task.CompletedTask;

    [ContractFact(Skip = "Gap: the mlflow-artifacts proxy answers a list of a file's path with no files, as MLflow's server does (clients rely on it to tell files from directories).")]
    public override Task Listing_a_file_gives_that_file_alone() => Task.CompletedTask;
}
