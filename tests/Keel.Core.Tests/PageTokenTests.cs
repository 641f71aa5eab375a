using System.Text;
using Keel.Core.Errors;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Xunit;

namespace Keel.Core.Tests;

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
        InvalidParameter(() => PageToken.Decode("not base64!!"), "could not base64-decode");
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
        var error = InvalidParameter(() => PageToken.Decode(B64(json)), fragment);
        Assert.StartsWith("Invalid page token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_bytes_that_are_not_utf8()
    {
        var token = Convert.ToBase64String([0xFF, 0xFE, 0xFD]);
        InvalidParameter(() => PageToken.Decode(token), "page_token");
    }

    [Fact]
    public void Encode_refuses_negative_offsets()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PageToken.Encode(-1));
    }

    [Fact]
    public void The_first_page_has_no_token_and_later_ones_round_trip()
    {
        Assert.Null(PageToken.ForOffset(0));
        Assert.Equal(PageToken.Encode(40), PageToken.ForOffset(40));
    }

    [Fact]
    public void The_next_token_counts_the_items_read_and_stops_on_the_last_page()
    {
        Assert.Equal(30, PageToken.Decode(PageToken.After(20, new Page<int>([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], HasMore: true))));
        Assert.Null(PageToken.After(20, new Page<int>([1, 2], HasMore: false)));
    }

    private static KeelException InvalidParameter(Action action, string fragment)
    {
        var error = Assert.Throws<KeelException>(action);
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        return error;
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
