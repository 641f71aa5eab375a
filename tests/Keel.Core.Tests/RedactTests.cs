using System.Text.Json.Nodes;
using Keel.Core.Governance;
using Xunit;

namespace Keel.Core.Tests;

public sealed class RedactTests
{
    [Theory]
    [InlineData("secret", true)]
    [InlineData("Password", true)]
    [InlineData("token", true)]
    [InlineData("access_token", true)]
    [InlineData("aws_secret_access_key", true)]
    [InlineData("api-key", true)]
    [InlineData("webhook_secret", true)]
    [InlineData("sticky_key", false)]
    [InlineData("has_secret", false)]
    [InlineData("key", false)]
    [InlineData("name", false)]
    [InlineData("token_count", false)]
    public void Secret_names_are_recognised(string name, bool secret) => Assert.Equal(secret, Redact.IsSecretName(name));

    [Fact]
    public void Secrets_are_removed_at_any_depth_and_the_rest_is_kept()
    {
        var redacted = Redact.Json("""{"name": "r", "secret": "s1", "has_secret": true, "sticky_key": "header:x", "nested": {"password": "p", "list": [{"api_key": "k", "keep": 1}]}, "tags": [{"key": "a", "value": "b"}]}""");
        var node = JsonNode.Parse(redacted!)!;
        Assert.DoesNotContain("s1", redacted, StringComparison.Ordinal);
        Assert.Null(node["secret"]);
        Assert.Null(node["nested"]!["password"]);
        Assert.Null(node["nested"]!["list"]![0]!["api_key"]);
        Assert.Equal(1, (int)node["nested"]!["list"]![0]!["keep"]!);
        Assert.True((bool)node["has_secret"]!);
        Assert.Equal("header:x", (string?)node["sticky_key"]);
        Assert.Equal("a", (string?)node["tags"]![0]!["key"]);
    }

    [Fact]
    public void Text_without_secrets_or_not_json_is_returned_as_given()
    {
        Assert.Null(Redact.Json(null));
        Assert.Equal("""{"b": 1,  "a": 2}""", Redact.Json("""{"b": 1,  "a": 2}"""));
        Assert.Equal("not json", Redact.Json("not json"));
    }
}
