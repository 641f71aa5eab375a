using Keel.Core.Errors;
using Keel.Data.Content;

namespace Keel.Data.Tests.Content;

public sealed class FileHasherTests : ContentFixture
{
    [Fact]
    public void A_small_file_that_grew_after_it_was_listed_is_refused_not_cut_short()
    {
        var path = Write("growing.csv", RandomBytes(100, 1));

        // The scan saw 50 bytes; 100 are there by the time it is read.
        var error = Assert.Throws<KeelException>(() => FileHasher.HashWhole(path, "growing.csv", 50));

        Assert.Contains("'growing.csv' changed while it was being read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_file_is_hashed_per_chunk_with_blake3()
    {
        var data = RandomBytes(3 * 1024 * 1024, 2);
        var path = Write("three.bin", data);

        var file = FileHasher.HashWhole(path, "three.bin", data.Length);

        Assert.Equal(data.Length, file.Length);
        Assert.Equal(data.Length, file.Sizes.Sum());
        for (var i = 0; i < file.Chunks.Length; i++)
        {
            Assert.Equal(Blake3.Hasher.Hash(data.AsSpan(file.Offsets[i], file.Sizes[i])).ToString(), file.Chunks[i].ToString());
        }
    }
}
