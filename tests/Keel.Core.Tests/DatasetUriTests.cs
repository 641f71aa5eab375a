using Keel.Core.Data;
using Keel.Core.Errors;

namespace Keel.Core.Tests;

public sealed class DatasetUriTests
{
    [Theory]
    [InlineData("datasets:/churn/3", DatasetUriKind.Version, "churn", 3L, null, "")]
    [InlineData("datasets:/churn/3/train/part-0.parquet", DatasetUriKind.Version, "churn", 3L, null, "train/part-0.parquet")]
    [InlineData("datasets:/churn@golden", DatasetUriKind.Alias, "churn", null, "golden", "")]
    [InlineData("datasets:/churn@golden/train/", DatasetUriKind.Alias, "churn", null, "golden", "train")]
    [InlineData("datasets:/churn@latest", DatasetUriKind.Latest, "churn", null, null, "")]
    [InlineData("datasets:/churn@LATEST", DatasetUriKind.Latest, "churn", null, null, "")]
    [InlineData("datasets:/churn/latest/a.csv", DatasetUriKind.Latest, "churn", null, null, "a.csv")]
    [InlineData("datasets:///churn/12", DatasetUriKind.Version, "churn", 12L, null, "")]
    public void Every_form_parses(string uri, DatasetUriKind kind, string name, long? version, string? alias, string path)
    {
        var parsed = DatasetUri.Parse(uri);

        Assert.Equal(new DatasetUri(kind, name, version, alias, path), parsed);
    }

    [Theory]
    [InlineData("datasets:/churn/3")]
    [InlineData("datasets:/churn/3/train/a.csv")]
    [InlineData("datasets:/churn@golden")]
    [InlineData("datasets:/churn@latest/x")]
    public void The_canonical_form_round_trips(string uri) => Assert.Equal(uri, DatasetUri.Parse(uri).ToString());

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("models:/churn/3")]
    [InlineData("datasets:/")]
    [InlineData("datasets:/churn")]
    [InlineData("datasets:/churn/0")]
    [InlineData("datasets:/churn/-1")]
    [InlineData("datasets:/churn/v3")]
    [InlineData("datasets:/@golden")]
    [InlineData("datasets:/churn@")]
    [InlineData("datasets:/churn@a@b")]
    public void A_malformed_uri_is_refused_naming_the_forms(string? uri)
    {
        var e = Assert.Throws<KeelException>(() => DatasetUri.Parse(uri));

        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("datasets:/<name>", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("datasets:/churn/3/../../etc/passwd")]
    [InlineData("datasets:/churn@golden/./x")]
    public void A_path_may_not_climb_out_of_its_version(string uri)
    {
        var e = Assert.Throws<KeelException>(() => DatasetUri.Parse(uri));

        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("'..' segments", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_uri_is_built_with_its_path_trimmed() =>
        Assert.Equal("datasets:/churn/4/train/a.csv", DatasetUri.ForVersion("churn", 4, "/train/a.csv"));
}
