using Keel.Core.Errors;
using Keel.Data.Content;

namespace Keel.Data.Tests.Content;

public sealed class IntegrityTests : ContentFixture
{
    private string PackFile() =>
        Directory.EnumerateFiles(Path.Combine(Root, "artifacts", "datasets", "packs"), "*", SearchOption.AllDirectories).Single();

    [Fact]
    public async Task A_corrupt_pack_fails_materialization_naming_the_object_and_leaves_no_file()
    {
        var data = RandomBytes(2 * 1024 * 1024, 1);
        var manifest = await Store.SnapshotAsync(Write("data.bin", data));
        var pack = PackFile();
        var bytes = await File.ReadAllBytesAsync(pack);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(pack, bytes);

        var error = await Assert.ThrowsAsync<KeelException>(() => Store.MaterializeAsync(manifest, PathOf("out/data.bin")));

        Assert.Contains("Corrupt dataset object datasets/packs/", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(pack), error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(PathOf("out")));
    }

    [Fact]
    public async Task A_corrupt_small_chunk_is_detected_too()
    {
        var manifest = await Store.SnapshotAsync(Write("tree/a.txt", "hello world"u8.ToArray()).Replace("a.txt", string.Empty, StringComparison.Ordinal));
        var pack = PackFile();
        var bytes = await File.ReadAllBytesAsync(pack);
        bytes[0] ^= 0x01;
        await File.WriteAllBytesAsync(pack, bytes);

        var error = await Assert.ThrowsAsync<KeelException>(() => Store.CheckoutAsync(manifest));
        Assert.Contains("does not match its digest", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Root, "cache", "checkouts", manifest.Digest)));
    }

    [Fact]
    public async Task A_missing_pack_is_reported_naming_the_chunk()
    {
        var manifest = await Store.SnapshotAsync(Write("data.bin", RandomBytes(1000, 1)));
        File.Delete(PathOf("artifacts/datasets/index/" + Path.GetFileName(PackFile())));

        var error = await Assert.ThrowsAsync<KeelException>(() => NewStore("fresh").MaterializeAsync(manifest, PathOf("out.bin")));

        Assert.Equal(ErrorCode.ResourceDoesNotExist, error.Code);
        Assert.Contains(manifest.Files[0].Chunks[0].Digest, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_manifest_is_refused_naming_it()
    {
        var manifest = await Store.SnapshotAsync(Write("data.csv", "a\n1\n"u8.ToArray()));
        var path = PathOf("artifacts/datasets/manifests/" + manifest.Digest);
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("data.csv", "dat2.csv", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<KeelException>(() => Store.ReadManifestAsync(manifest.Digest));

        Assert.Contains($"Corrupt dataset manifest datasets/manifests/{manifest.Digest}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_an_unknown_or_malformed_manifest_digest_is_a_clear_error()
    {
        var missing = await Assert.ThrowsAsync<KeelException>(() => Store.ReadManifestAsync(new string('a', 64)));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);

        var malformed = await Assert.ThrowsAsync<KeelException>(() => Store.ReadManifestAsync("../../etc/passwd"));
        Assert.Equal(ErrorCode.InvalidParameterValue, malformed.Code);
        Assert.Contains("64 hexadecimal digits", malformed.Message, StringComparison.Ordinal);
    }
}
