using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// The bad-input sweep against a real server: every case of <see cref="BadInputCases"/> must be
/// answered with a 4xx carrying an error code and a message (never a 500, never a success), and
/// the server's state, read back through the API, must be exactly what it was before.
/// </summary>
public sealed class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    public static IEnumerable<object[]> Cases => BadInputCases.Names;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_refused_with_a_4xx_and_changes_nothing(string name)
    {
        var @case = BadInputCases.Get(name);
        var before = await fixture.SnapshotAsync();

        var (status, body, contentType) = await SendAsync(@case);

        Assert.True(status is >= 400 and < 500, $"{name}: answered {status}: {Shorten(body)}");
        Assert.True(contentType == "application/json", $"{name}: answered {status} as '{contentType}': {Shorten(body)}");
        var error = JsonNode.Parse(body)!;
        Assert.False(string.IsNullOrWhiteSpace((string?)error["error_code"]), $"{name}: no error_code in {Shorten(body)}");
        Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]), $"{name}: no message in {Shorten(body)}");
        Assert.NotEqual("INTERNAL_ERROR", (string?)error["error_code"]);

        var after = await fixture.SnapshotAsync();
        Assert.True(before == after, $"{name}: the state changed.\nBefore:\n{before}\nAfter:\n{after}");
    }

    private async Task<(int Status, string Body, string? ContentType)> SendAsync(BadInputCase @case)
    {
        using var request = new HttpRequestMessage(new HttpMethod(@case.Method), new Uri(Fill(@case.Path), UriKind.Relative));
        if (@case.Body is not null || @case.ContentType is not null)
        {
            var bytes = @case.Body is null ? [] : Encoding.UTF8.GetBytes(Fill(Encoding.UTF8.GetString(@case.Body)));
            // Invalid UTF-8 must reach the server as sent, so those bodies are not round-tripped through a string.
            if (@case.Body is not null && !IsValidUtf8(@case.Body))
            {
                bytes = @case.Body;
            }

            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = @case.ContentType is null ? null : MediaTypeHeaderValue.Parse(@case.ContentType);
        }

        using var response = await fixture.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private string Fill(string text) => text
        .Replace("{EP}", BadInputFixture.Endpoint, StringComparison.Ordinal)
        .Replace("{E}", fixture.ExperimentId, StringComparison.Ordinal)
        .Replace("{R}", fixture.RunId, StringComparison.Ordinal)
        .Replace("{M}", BadInputFixture.Model, StringComparison.Ordinal);

    private static bool IsValidUtf8(byte[] bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "...";
}
