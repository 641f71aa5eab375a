using System.Text;
using Keel.Compute.Search;
using Xunit;

namespace Keel.Compute.Tests;

public sealed class PageTokenTests
{
    [Fact]
    public void Encode_matches_the_token_a_real_mlflow_server_returns()
    {
        Assert.Equal("eyJvZmZzZXQiOiAxfQ==", PageToken.Encode(1));
    }

    [Fact]
    public void Encode_is_base64_of_python_json_dumps()
    {
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(PageToken.Encode(2500)));
        Assert.Equal("{\"offset\": 2500}", json);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void Round_trips(int offset)
    {
        Assert.Equal(offset, PageToken.Decode(PageToken.Encode(offset)));
    }

    [Fact]
    public void Decodes_the_known_mlflow_token()
    {
        Assert.Equal(1, PageToken.Decode("eyJvZmZzZXQiOiAxfQ=="));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_token_means_first_page(string? token)
    {
        Assert.Equal(0, PageToken.Decode(token));
    }

    [Fact]
    public void Accepts_compact_json_too()
    {
        Assert.Equal(7, PageToken.Decode(B64("{\"offset\":7}")));
    }

    [Fact]
    public void Rejects_bad_base64()
    {
        ErrorAssert.InvalidParameter(() => PageToken.Decode("not base64!!"), "could not base64-decode");
    }

    [Theory]
    [InlineData("hello", "is not JSON")]
    [InlineData("{\"offset\": \"x\"}", "has no integer 'offset'")]
    [InlineData("{\"offset\": 1.5}", "has no integer 'offset'")]
    [InlineData("{\"other\": 1}", "has no integer 'offset'")]
    [InlineData("[1]", "has no integer 'offset'")]
    [InlineData("{\"offset\": 99999999999}", "has no integer 'offset'")]
    [InlineData("{\"offset\": -3}", "offset must be non-negative")]
    public void Rejects_malformed_content(string json, string fragment)
    {
        var error = ErrorAssert.InvalidParameter(() => PageToken.Decode(B64(json)), fragment);
        Assert.StartsWith("Invalid page token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_bytes_that_are_not_utf8()
    {
        var token = Convert.ToBase64String([0xFF, 0xFE, 0xFD]);
        ErrorAssert.InvalidParameter(() => PageToken.Decode(token), "page_token");
    }

    [Fact]
    public void Encode_refuses_negative_offsets()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PageToken.Encode(-1));
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
