using Keel.Core.Artifacts;
using Keel.Storage.Contracts;

namespace Keel.Artifacts.Tests;

/// <summary>Local files enrol in the artifact-store contract, each test on a fresh directory.</summary>
public sealed class LocalArtifactStoreContractTests : ArtifactStoreContract
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "keel-artifact-contract-" + Guid.NewGuid().ToString("N"));

    protected override Task<IArtifactStore> CreateStoreAsync() => Task.FromResult<IArtifactStore>(new LocalArtifactStore(_root));

    protected override Task DisposeStoreAsync(IArtifactStore store)
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }
}
