using Keel.Core.Errors;
using Keel.Core.Registry;

namespace Keel.Core.Tests;

public sealed class ModelUriTests
{
    [Fact]
    public void Parses_each_form()
    {
        Assert.Equal(new ModelUri(ModelUriKind.Version, "churn", Version: 3), ModelUri.Parse("models:/churn/3"));
        Assert.Equal(new ModelUri(ModelUriKind.Alias, "churn", Alias: "champion"), ModelUri.Parse("models:/churn@champion"));
        Assert.Equal(new ModelUri(ModelUriKind.Stage, "churn", Stage: ModelStage.Production), ModelUri.Parse("models:/churn/production"));
        Assert.Equal(new ModelUri(ModelUriKind.Latest, "churn"), ModelUri.Parse("models:/churn/latest"));
        Assert.Equal(new ModelUri(ModelUriKind.Run, string.Empty, RunId: "abc", Path: "model/sub"), ModelUri.Parse("runs:/abc/model/sub/"));
        Assert.Equal(new ModelUri(ModelUriKind.Run, string.Empty, RunId: "abc", Path: string.Empty), ModelUri.Parse("runs:/abc"));
    }

    [Theory]
    [InlineData("models:/churn/0")]
    [InlineData("models:/churn/-1")]
    [InlineData("models:/churn/Prod")]
    [InlineData("models:/churn")]
    [InlineData("models:/@champion")]
    [InlineData("models:/churn@")]
    [InlineData("models:/churn@a/b")]
    [InlineData("runs:/")]
    [InlineData("s3://bucket/model")]
    [InlineData("churn/3")]
    public void Rejects_malformed_uris_naming_the_forms(string uri)
    {
        var e = Assert.Throws<KeelException>(() => ModelUri.Parse(uri));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains($"'{uri}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("models:/<name>@<alias>", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_missing_uri_says_one_is_required(string? uri)
    {
        var e = Assert.Throws<KeelException>(() => ModelUri.Parse(uri));
        Assert.StartsWith("A model URI is required", e.Message, StringComparison.Ordinal);
    }
}
