using Keel.Core.Artifacts;
using Keel.Core.Errors;

namespace Keel.Core.Tests;

public sealed class ArtifactUriTests
{
    [Theory]
    [InlineData("mlflow-artifacts:", ArtifactUriKind.Proxied, "")]
    [InlineData("mlflow-artifacts:/1/abc/artifacts", ArtifactUriKind.Proxied, "1/abc/artifacts")]
    [InlineData("mlflow-artifacts://host:5000/1/abc/artifacts/", ArtifactUriKind.Proxied, "1/abc/artifacts")]
    [InlineData("http://h:5000/api/2.0/mlflow-artifacts/artifacts", ArtifactUriKind.Proxied, "")]
    [InlineData("https://h/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts", ArtifactUriKind.Proxied, "0/r/artifacts")]
    [InlineData("http://h/files/x", ArtifactUriKind.Remote, null)]
    [InlineData("s3://bucket/x", ArtifactUriKind.Remote, null)]
    [InlineData("models:/m/1", ArtifactUriKind.Remote, null)]
    public void Proxied_and_remote_locations_are_told_apart(string text, ArtifactUriKind kind, string? proxyPath)
    {
        var uri = ArtifactUri.Parse(text);
        Assert.Equal(kind, uri.Kind);
        Assert.Equal(proxyPath, uri.ProxyPath);
    }

    [Theory]
    [InlineData("/srv/a", "/srv/a")]
    [InlineData("relative/dir", "relative/dir")]
    [InlineData("file:///srv/a%20b", "/srv/a b")]
    [InlineData("file://localhost/srv/a", "/srv/a")]
    [InlineData("file:/srv/a", "/srv/a")]
    [InlineData("C:/data", "C:/data")]
    public void Local_locations_give_their_path(string text, string path)
    {
        var uri = ArtifactUri.Parse(text);
        Assert.Equal(ArtifactUriKind.Local, uri.Kind);
        Assert.Equal(path, uri.LocalPath);
    }

    [Fact]
    public void A_file_uri_on_another_host_is_refused_in_MLflow_words()
    {
        var e = Assert.Throws<KeelException>(() => ArtifactUri.Parse("file://server/share"));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.StartsWith("file://server/share is not a valid remote uri.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mlflow-artifacts:", "1", "mlflow-artifacts:/1")]
    [InlineData("mlflow-artifacts:/1", "r/artifacts", "mlflow-artifacts:/1/r/artifacts")]
    [InlineData("file:///tmp/x/", "1", "file:///tmp/x/1")]
    [InlineData("s3://bucket", "1", "s3://bucket/1")]
    [InlineData("s3://bucket/p?region=eu", "1", "s3://bucket/p/1?region=eu")]
    [InlineData("/srv/root", "/1/", "/srv/root/1")]
    [InlineData("http://h/api/2.0/mlflow-artifacts/artifacts", "0", "http://h/api/2.0/mlflow-artifacts/artifacts/0")]
    public void Append_joins_under_the_path_and_keeps_the_query(string root, string relative, string expected) =>
        Assert.Equal(expected, ArtifactUri.Parse(root).Append(relative));

    [Fact]
    public void A_relative_location_is_made_absolute_and_normal()
    {
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "my_location"), ArtifactUri.CheckLocation("my_location"));
        Assert.Equal("/srv/x", ArtifactUri.CheckLocation("/srv/a/../x"));
        Assert.Equal("file://localhost/srv/x", ArtifactUri.CheckLocation("file://localhost/srv/x"));
        Assert.Equal(new Uri(Path.Combine(Directory.GetCurrentDirectory(), "rel")).AbsoluteUri, ArtifactUri.CheckLocation("file:rel"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("x\ty")]
    [InlineData("a#b")]
    [InlineData("x;y")]
    [InlineData("s3://b/p?a=%2e%2e")]
    [InlineData("mlflow-artifacts:/a/./b")]
    [InlineData("9p://x")]
    public void Locations_no_store_can_mean_are_refused(string location)
    {
        var e = Assert.Throws<KeelException>(() => ArtifactUri.CheckLocation(location));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData(".", "")]
    [InlineData("./a//b/", "a/b")]
    [InlineData("a%20b", "a%20b")]
    public void Safe_paths_are_normalised(string path, string expected) => Assert.Equal(expected, ArtifactPath.Normalize(path));

    [Theory]
    [InlineData("/etc")]
    [InlineData("..")]
    [InlineData("a/../b")]
    [InlineData("%2E%2E/b")]
    [InlineData("%252e%252e/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("C:x")]
    public void Unsafe_paths_are_Invalid_path(string path)
    {
        var e = Assert.Throws<KeelException>(() => ArtifactPath.Normalize(path));
        Assert.Equal("Invalid path", e.Message);
    }
}
