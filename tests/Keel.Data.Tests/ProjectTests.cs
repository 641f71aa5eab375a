namespace Keel.Data.Tests;

public sealed class ProjectTests
{
    [Fact]
    public void Blake3_matches_the_published_test_vector_for_empty_input()
    {
        // The BLAKE3 reference test vector for the empty input.
        var hash = Blake3.Hasher.Hash([]).ToString();
        Assert.Equal("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262", hash);
    }
}
